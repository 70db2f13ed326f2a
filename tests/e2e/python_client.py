"""Drives intake from Python's grpcio, a client that is not ours, to prove the contract is usable
outside C++. Usage: python_client.py STUB_DIR INTAKE_ADDRESS API_KEY"""
import sys
import uuid

sys.path.insert(0, sys.argv[1])

import grpc  # noqa: E402
from doleances.intake.v1 import intake_service_pb2 as intake  # noqa: E402
from doleances.intake.v1 import intake_service_pb2_grpc as intake_grpc  # noqa: E402
from doleances.type.v1 import complaint_pb2, errors_pb2  # noqa: E402

ADMINISTRATION = "6f1c2a3e-0c1d-4e5f-8a9b-0c1d2e3f4a5b"
stub = intake_grpc.IntakeServiceStub(grpc.insecure_channel(sys.argv[2]))
auth = [("authorization", "Bearer " + sys.argv[3])]
results = {"passed": 0, "failed": 0}


def check(name, condition):
    results["passed" if condition else "failed"] += 1
    print(("ok   " if condition else "FAIL ") + name)


def request(key, subject="Trottoir impraticable"):
    return intake.SubmitComplaintRequest(
        idempotency_key=key,
        complaint=intake.Complaint(
            administration_id=ADMINISTRATION,
            kind=complaint_pb2.COMPLAINT_KIND_SIGNALEMENT,
            channel=complaint_pb2.CHANNEL_WEB_FORM,
            subject=subject,
            description="Travaux abandonnés depuis un mois, passage impossible en fauteuil.",
            territory=complaint_pb2.Territory(commune_code="69387", department_code="69"),
        ),
    )


key = str(uuid.uuid4())
first = stub.SubmitComplaint(request(key), metadata=auth, timeout=10)
check("submit answers with an id and a tracking code", len(first.complaint_id) == 36 and first.tracking_code)
replay = stub.SubmitComplaint(request(key), metadata=auth, timeout=10)
check("a retry with the same key replays the answer", replay.replayed and replay.complaint_id == first.complaint_id)

try:
    stub.SubmitComplaint(request(key, subject="Autre sujet"), metadata=auth, timeout=10)
    check("the same key with other content is refused", False)
except grpc.RpcError as error:
    check("the same key with other content is refused", error.code() == grpc.StatusCode.FAILED_PRECONDITION)

try:
    stub.SubmitComplaint(request(str(uuid.uuid4()), subject=""), metadata=auth, timeout=10)
    check("an empty subject is INVALID_ARGUMENT with a BadRequest detail", False)
except grpc.RpcError as error:
    details = dict(error.trailing_metadata()).get("grpc-status-details-bin", b"")
    status = errors_pb2.Status.FromString(details)
    bad_request = errors_pb2.BadRequest()
    status.details[0].Unpack(bad_request)
    fields = [violation.field for violation in bad_request.field_violations]
    check("an empty subject is INVALID_ARGUMENT with a BadRequest detail",
          error.code() == grpc.StatusCode.INVALID_ARGUMENT and "complaint.subject" in fields)

tracked = stub.TrackComplaint(intake.TrackComplaintRequest(tracking_code=first.tracking_code.lower()), timeout=10)
check("the citizen tracks the file by code, without credentials", tracked.tracking.complaint_id == first.complaint_id)

stream = stub.WatchComplaint(intake.WatchComplaintRequest(tracking_code=first.tracking_code), timeout=10)
current = next(stream)
check("a watch starts with the current state", current.version == 1)
stream.cancel()

print(f"{results['passed']} passed, {results['failed']} failed")
sys.exit(1 if results["failed"] else 0)
