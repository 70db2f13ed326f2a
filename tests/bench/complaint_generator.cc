#include "tests/bench/complaint_generator.h"

#include <absl/strings/ascii.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_format.h>

#include <iterator>
#include <random>

namespace doleances::bench {
namespace {

struct Commune {
  const char* insee;
  const char* postal_code;
  const char* name;
};

// A mix of large cities, mid-sized towns, villages, Corsica and overseas: territory rules and
// KPIs see both the prefixes that are common and those that are not.
constexpr Commune kCommunes[] = {
    {"75056", "75011", "Paris"},
    {"13055", "13001", "Marseille"},
    {"69123", "69003", "Lyon"},
    {"31555", "31000", "Toulouse"},
    {"06088", "06000", "Nice"},
    {"44109", "44000", "Nantes"},
    {"67482", "67000", "Strasbourg"},
    {"34172", "34000", "Montpellier"},
    {"33063", "33000", "Bordeaux"},
    {"59350", "59000", "Lille"},
    {"35238", "35000", "Rennes"},
    {"51454", "51100", "Reims"},
    {"42218", "42000", "Saint-Étienne"},
    {"83137", "83000", "Toulon"},
    {"76351", "76600", "Le Havre"},
    {"38185", "38000", "Grenoble"},
    {"21231", "21000", "Dijon"},
    {"49007", "49000", "Angers"},
    {"30189", "30000", "Nîmes"},
    {"63113", "63000", "Clermont-Ferrand"},
    {"87085", "87000", "Limoges"},
    {"37261", "37000", "Tours"},
    {"80021", "80000", "Amiens"},
    {"57463", "57000", "Metz"},
    {"25056", "25000", "Besançon"},
    {"29019", "29200", "Brest"},
    {"86194", "86000", "Poitiers"},
    {"64445", "64000", "Pau"},
    {"2A004", "20000", "Ajaccio"},
    {"2B033", "20200", "Bastia"},
    {"97411", "97400", "Saint-Denis"},
    {"97209", "97200", "Fort-de-France"},
    {"12202", "12000", "Rodez"},
    {"48095", "48000", "Mende"},
    {"23096", "23000", "Guéret"},
    {"05061", "05000", "Gap"},
    {"39300", "39000", "Lons-le-Saunier"},
    {"46042", "46000", "Cahors"},
    {"09122", "09000", "Foix"},
    {"55545", "55100", "Verdun"},
};

struct Category {
  const char* code;
  const char* subjects[3];
  const char* sentences[6];
};

constexpr Category kCategories[] = {
    {"voirie",
     {"Nid de poule dangereux", "Chaussée effondrée", "Trottoir impraticable"},
     {"Un nid de poule d'une trentaine de centimètres s'est formé devant le numéro 12. ",
      "Plusieurs cyclistes ont déjà chuté à cet endroit, surtout la nuit. ",
      "Le revêtement se dégrade depuis les travaux de raccordement de l'automne dernier. ",
      "Les poussettes et les fauteuils roulants doivent descendre sur la chaussée. ",
      "La plaque d'égout est descellée et claque à chaque passage de véhicule. ",
      "Un simple marquage provisoire éviterait un accident en attendant la réfection. "}},
    {"eclairage",
     {"Éclairage public en panne", "Lampadaire clignotant", "Rue plongée dans le noir"},
     {"Les trois lampadaires de l'allée sont éteints depuis plus de trois semaines. ",
      "Les enfants rentrent de l'école dans l'obscurité pendant l'hiver. ",
      "Un lampadaire clignote toute la nuit et gêne les riverains du rez-de-chaussée. ",
      "Le boîtier électrique au pied du mât est ouvert et les câbles sont apparents. ",
      "Nous avons appelé la mairie annexe qui nous a renvoyés vers vos services. ",
      "Le passage piéton n'est plus visible pour les automobilistes à la tombée du jour. "}},
    {"proprete",
     {"Dépôt sauvage", "Poubelles non collectées", "Encombrants abandonnés"},
     {"Un matelas, un réfrigérateur et des sacs de gravats ont été abandonnés sur le trottoir. ",
      "La collecte des ordures ménagères n'est pas passée depuis dix jours. ",
      "Les rats sont désormais visibles en plein jour près des conteneurs. ",
      "Les sacs éventrés dégagent une odeur forte jusque dans les appartements. ",
      "Le point d'apport volontaire déborde chaque fin de semaine. ",
      "Je souhaite savoir qui doit intervenir et dans quel délai. "}},
    {"stationnement",
     {"Contestation d'un forfait post-stationnement", "Stationnement gênant récurrent",
      "Place handicapé occupée"},
     {"J'ai reçu un avis de paiement alors que mon ticket était valable jusqu'à midi. ",
      "Le ticket de l'horodateur est joint à la présente réclamation. ",
      "Des véhicules stationnent chaque matin sur la piste cyclable devant l'école. ",
      "La place réservée aux personnes handicapées est occupée sans carte depuis des mois. ",
      "L'horodateur de la rue était hors service ce jour-là et n'acceptait pas la carte. ",
      "Je demande l'annulation du forfait et le remboursement des sommes versées. "}},
    {"urbanisme",
     {"Refus de permis de construire", "Déclaration préalable refusée",
      "Travaux sans autorisation"},
     {"Mon projet d'extension de vingt mètres carrés respecte le plan local d'urbanisme. ",
      "L'arrêté de refus ne précise pas quelle règle du règlement de zone serait méconnue. ",
      "L'architecte des bâtiments de France avait pourtant donné un avis favorable. ",
      "Des travaux de surélévation ont commencé chez mon voisin sans panneau d'affichage. ",
      "Je sollicite un réexamen de mon dossier au vu des pièces complémentaires. ",
      "Le délai d'instruction annoncé lors du dépôt n'a pas été respecté. "}},
    {"etat-civil",
     {"Erreur sur un acte de naissance", "Délai de délivrance d'un passeport",
      "Rendez-vous carte d'identité introuvable"},
     {"Le prénom de ma fille a été mal orthographié sur l'acte de naissance. ",
      "Aucun rendez-vous n'est disponible avant trois mois pour renouveler ma carte. ",
      "Je dois partir à l'étranger pour raisons professionnelles le mois prochain. ",
      "La demande de pré-inscription en ligne a été validée mais le dossier reste bloqué. ",
      "Les pièces justificatives ont été transmises deux fois sans accusé de réception. ",
      "Je vous remercie de corriger l'acte et de m'adresser une copie intégrale. "}},
    {"eau-assainissement",
     {"Facture d'eau anormalement élevée", "Fuite sur la voie publique",
      "Odeurs d'égout persistantes"},
     {"Ma dernière facture correspond à quatre fois ma consommation habituelle. ",
      "Aucune fuite n'a été constatée par le plombier venu vérifier l'installation. ",
      "De l'eau s'écoule en continu d'une bouche à clé depuis le début du mois. ",
      "Les odeurs remontent par les avaloirs dès que la température augmente. ",
      "Le relevé du compteur semble avoir été estimé et non réellement effectué. ",
      "Je demande un dégrèvement conformément à la réglementation sur les fuites. "}},
    {"transports",
     {"Ligne de bus supprimée", "Retards répétés du ramassage scolaire",
      "Arrêt de bus inaccessible"},
     {"Le bus du matin ne passe plus depuis la modification des horaires de septembre. ",
      "Les élèves arrivent régulièrement en retard au collège et sont sanctionnés. ",
      "L'arrêt n'a ni abri ni quai surélevé, les personnes âgées ne peuvent pas monter. ",
      "Aucune information n'a été affichée aux arrêts concernés par la suppression. ",
      "Le transport à la demande ne répond pas au téléphone aux heures indiquées. ",
      "Nous demandons le rétablissement du service au moins aux heures scolaires. "}},
    {"action-sociale",
     {"Retard de versement d'une aide", "Dossier de logement social sans réponse",
      "Refus d'aide sociale contesté"},
     {"Mon dossier de demande d'aide a été déposé complet il y a plus de deux mois. ",
      "Je n'ai reçu aucune notification ni demande de pièce complémentaire. ",
      "Ma situation financière s'aggrave et le loyer de ce mois n'a pas pu être réglé. ",
      "L'assistante sociale du secteur m'a conseillé d'adresser cette réclamation. ",
      "Le motif du refus indiqué ne correspond pas à ma situation familiale réelle. ",
      "Je joins mes trois derniers bulletins de salaire et l'avis d'imposition. "}},
    {"bruit",
     {"Nuisances sonores nocturnes", "Chantier bruyant le dimanche", "Bar musical tardif"},
     {"Un établissement diffuse de la musique amplifiée jusqu'à trois heures du matin. ",
      "Les engins du chantier démarrent avant sept heures, y compris le dimanche. ",
      "Plusieurs voisins ont signé une pétition que vous trouverez en pièce jointe. ",
      "Les appels à la police municipale n'ont donné lieu à aucune intervention. ",
      "Mon médecin atteste des troubles du sommeil liés à ces nuisances répétées. ",
      "Je demande qu'un contrôle du respect de l'arrêté municipal soit effectué. "}},
};

constexpr const char* kCourtesy[] = {
    "Je reste à votre disposition pour tout renseignement complémentaire. ",
    "Dans l'attente de votre réponse, je vous prie d'agréer mes salutations distinguées. ",
    "Merci de m'indiquer le service en charge de ce dossier et le délai de traitement. ",
    "Je vous remercie par avance de l'attention portée à cette demande. ",
};

constexpr const char* kGivenNames[] = {"Camille", "Léa",    "Hugo",    "Chloé",    "Louis",
                                       "Manon",   "Jules",  "Inès",    "Gabriel",  "Sarah",
                                       "Arthur",  "Émilie", "Mohamed", "Nathalie", "Thierry"};
constexpr const char* kFamilyNames[] = {"Martin",  "Bernard", "Dubois",   "Thomas", "Robert",
                                        "Richard", "Petit",   "Durand",   "Leroy",  "Moreau",
                                        "Simon",   "Laurent", "Lefebvre", "Michel", "Garcia"};
constexpr const char* kStreets[] = {
    "rue de la République", "avenue Jean Jaurès", "boulevard Victor Hugo", "place de la Mairie",
    "chemin des Vignes",    "rue Pasteur",        "allée des Tilleuls",    "impasse du Moulin"};
constexpr const char* kAuthorities[] = {"Mairie", "Préfecture", "Conseil départemental",
                                        "Direction départementale des territoires"};

template <typename T, size_t N>
const T& Pick(std::mt19937_64& random, const T (&items)[N]) {
  return items[random() % N];
}

// Realistic mix: most complaints are reports and claims; appeals need a contested decision.
type::v1::ComplaintKind PickKind(std::mt19937_64& random) {
  const int roll = static_cast<int>(random() % 100);
  if (roll < 45) {
    return type::v1::COMPLAINT_KIND_SIGNALEMENT;
  }
  if (roll < 80) {
    return type::v1::COMPLAINT_KIND_RECLAMATION;
  }
  return roll < 95 ? type::v1::COMPLAINT_KIND_RECOURS_GRACIEUX
                   : type::v1::COMPLAINT_KIND_RECOURS_HIERARCHIQUE;
}

type::v1::Channel PickChannel(std::mt19937_64& random) {
  constexpr type::v1::Channel kChannels[] = {type::v1::CHANNEL_WEB_FORM, type::v1::CHANNEL_WEB_FORM,
                                             type::v1::CHANNEL_WEB_FORM, type::v1::CHANNEL_API,
                                             type::v1::CHANNEL_EMAIL,    type::v1::CHANNEL_MAIL,
                                             type::v1::CHANNEL_PHONE,    type::v1::CHANNEL_COUNTER};
  return Pick(random, kChannels);
}

std::string Ascii(absl::string_view name) {
  std::string out;
  for (char c : name) {
    if (absl::ascii_isalpha(static_cast<unsigned char>(c))) {
      out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    }
  }
  return out.empty() ? "contact" : out;
}

void FillCitizen(std::mt19937_64& random, const Commune& commune, intake::v1::Citizen& citizen) {
  const char* given = Pick(random, kGivenNames);
  const char* family = Pick(random, kFamilyNames);
  citizen.set_given_name(given);
  citizen.set_family_name(family);
  citizen.set_email(absl::StrCat(Ascii(given), ".", Ascii(family), random() % 100, "@example.fr"));
  citizen.set_phone_number(absl::StrFormat("+336%08d", random() % 100000000));
  citizen.set_preferred_contact_method(intake::v1::CONTACT_METHOD_EMAIL);
  intake::v1::PostalAddress& address = *citizen.mutable_postal_address();
  address.add_address_lines(absl::StrCat(1 + random() % 120, " ", Pick(random, kStreets)));
  address.set_postal_code(commune.postal_code);
  address.set_locality(commune.name);
  address.set_region_code("FR");
}

}  // namespace

std::vector<intake::v1::Complaint> GenerateComplaints(int count, uint64_t seed,
                                                      const std::string& administration_id,
                                                      absl::Time now) {
  std::mt19937_64 random(seed);
  std::vector<intake::v1::Complaint> complaints;
  complaints.reserve(count);
  for (int i = 0; i < count; ++i) {
    const Commune& commune = Pick(random, kCommunes);
    const Category& category = Pick(random, kCategories);
    intake::v1::Complaint& complaint = complaints.emplace_back();
    complaint.set_administration_id(administration_id);
    complaint.set_kind(PickKind(random));
    complaint.set_channel(PickChannel(random));
    complaint.set_subject(absl::StrCat(Pick(random, category.subjects), " — ", commune.name));
    std::string description = absl::StrCat(
        "Madame, Monsieur, je vous écris au sujet de la situation suivante à ", commune.name, ". ");
    const size_t length = 1200 + random() % 800;
    while (description.size() < length) {
      description += Pick(random, category.sentences);
    }
    description += Pick(random, kCourtesy);
    complaint.set_description(description);
    // A hint on two complaints in three: routing sometimes has to decide on words alone.
    if (random() % 3 != 0) {
      complaint.set_category_hint(category.code);
    }
    complaint.mutable_territory()->set_commune_code(commune.insee);
    if (complaint.kind() != type::v1::COMPLAINT_KIND_SIGNALEMENT || random() % 2 == 0) {
      FillCitizen(random, commune, *complaint.mutable_citizen());
    }
    if (complaint.kind() == type::v1::COMPLAINT_KIND_RECOURS_GRACIEUX ||
        complaint.kind() == type::v1::COMPLAINT_KIND_RECOURS_HIERARCHIQUE) {
      const absl::CivilDay notified =
          absl::ToCivilDay(now, absl::UTCTimeZone()) - static_cast<int>(5 + random() % 80);
      intake::v1::ContestedDecision& decision = *complaint.mutable_contested_decision();
      decision.set_reference(absl::StrFormat("ARR-%d-%04d", notified.year(), random() % 10000));
      decision.mutable_notification_date()->set_year(static_cast<int>(notified.year()));
      decision.mutable_notification_date()->set_month(notified.month());
      decision.mutable_notification_date()->set_day(notified.day());
      decision.set_issuing_authority(
          absl::StrCat(Pick(random, kAuthorities), " de ", commune.name));
    }
  }
  return complaints;
}

}  // namespace doleances::bench
