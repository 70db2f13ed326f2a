#include "services/workflow/template_rendering.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace doleances::workflow {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(TemplateRenderingTest, FindsEachPlaceholderOnceInOrder) {
  EXPECT_THAT(
      PlaceholderNames("Dossier {{tracking_code}} : {{ decision }}, {{tracking_code}}.").value(),
      ElementsAre("tracking_code", "decision"));
  EXPECT_TRUE(PlaceholderNames("Aucun champ.").value().empty());
}

TEST(TemplateRenderingTest, RefusesMalformedPlaceholders) {
  EXPECT_EQ(PlaceholderNames("Dossier {{tracking_code").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(PlaceholderNames("Dossier {{Numéro}}").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(TemplateRenderingTest, FillsValuesVerbatimWithoutRescanningThem) {
  EXPECT_EQ(RenderTemplate("Madame, Monsieur, votre demande {{tracking_code}} reçue le "
                           "{{receive_date}} : {{motif}}.",
                           {{"tracking_code", "K7QX-M2PD-94T3"},
                            {"receive_date", "02/05/2024"},
                            {"motif", "voir {{tracking_code}}"}})
                .value(),
            "Madame, Monsieur, votre demande K7QX-M2PD-94T3 reçue le 02/05/2024 : voir "
            "{{tracking_code}}.");
}

TEST(TemplateRenderingTest, NamesEveryMissingValue) {
  absl::StatusOr<std::string> rendered = RenderTemplate("{{a}} {{b}} {{a}} {{c}}", {{"b", "x"}});
  EXPECT_EQ(rendered.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(rendered.status().message(), HasSubstr("a, c"));
}

}  // namespace
}  // namespace doleances::workflow
