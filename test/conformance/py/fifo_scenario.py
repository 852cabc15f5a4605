"""Pier FIFO conformance scenario through boto3: the seed's inventory pattern, against a running server.

Usage:
  python fifo_scenario.py ENDPOINT
      Runs the checks below in order against ENDPOINT and prints one JSON line:
      {"protocol", "boto3", "botocore", "python", "move_task_model", "total", "passed": [...],
       "failed": [{"check", "error"}]}; exits 1 if any check failed.
  python fifo_scenario.py --extend-model MODULE OUT_DIR
      If the botocore package MODULE ("botocore" or "awscli.botocore") has no message-move-task
      operations in its SQS model, writes a copy with them added to OUT_DIR/sqs/2012-11-05/ (for
      AWS_DATA_PATH) and prints "extended"; otherwise writes nothing and prints "bundled".

The pattern (issue 3): one FIFO queue `inventory-updates.fifo`, MessageGroupId = SKU so each
product's stock updates apply in order, ContentBasedDeduplication plus explicit deduplication ids
(a duplicate send is acknowledged but never delivered twice), a FIFO dead-letter queue after 3
failed receives, and an operator who redrives the dead letters back with StartMessageMoveTask.

Botocore older than the move-task API (Debian's 1.29, Query protocol) has no
StartMessageMoveTask; the scenario then adds the three operations to that botocore's own Query
model, with the shapes of the last Query-protocol SQS model botocore shipped (preserved as
localstack/localstack localstack-core/localstack/aws/data/sqs-query/2012-11-05/service-2.json), so
the request is still built and the XML answer parsed by that botocore's Query serializer/parser.

The checks run in order and share state (later ones build on earlier ones); every check runs and
reports, so one failure shows all its consequences. No timing assertions: the move task runs on
the server's real clock, so the scenario polls ListMessageMoveTasks with a generous bound.
"""
import atexit
import copy
import glob
import gzip
import hashlib
import importlib
import json
import os
import shutil
import sys
import tempfile
import time
import traceback

ACCOUNT = "000000000000"
REGION = "us-east-1"
SOURCE = "inventory-updates.fifo"
DLQ = "inventory-updates-dlq.fifo"
SKUS = ["SKU-1001", "SKU-1002", "SKU-1003", "SKU-1004"]
UPDATES = 5  # per SKU
POISON_SKU = "SKU-9999"
MAX_RECEIVE_COUNT = 3

# Query-protocol definitions of the move-task operations, verbatim from the preserved botocore
# Query model (see the module docstring); shapes the old model already has are not repeated.
MOVE_TASK_OPERATIONS = {
    "StartMessageMoveTask": {
        "name": "StartMessageMoveTask", "http": {"method": "POST", "requestUri": "/"},
        "input": {"shape": "StartMessageMoveTaskRequest"},
        "output": {"shape": "StartMessageMoveTaskResult", "resultWrapper": "StartMessageMoveTaskResult"},
        "errors": [{"shape": "ResourceNotFoundException"}, {"shape": "UnsupportedOperation"}],
    },
    "CancelMessageMoveTask": {
        "name": "CancelMessageMoveTask", "http": {"method": "POST", "requestUri": "/"},
        "input": {"shape": "CancelMessageMoveTaskRequest"},
        "output": {"shape": "CancelMessageMoveTaskResult", "resultWrapper": "CancelMessageMoveTaskResult"},
        "errors": [{"shape": "ResourceNotFoundException"}, {"shape": "UnsupportedOperation"}],
    },
    "ListMessageMoveTasks": {
        "name": "ListMessageMoveTasks", "http": {"method": "POST", "requestUri": "/"},
        "input": {"shape": "ListMessageMoveTasksRequest"},
        "output": {"shape": "ListMessageMoveTasksResult", "resultWrapper": "ListMessageMoveTasksResult"},
        "errors": [{"shape": "ResourceNotFoundException"}, {"shape": "UnsupportedOperation"}],
    },
}
MOVE_TASK_SHAPES = {
    "Long": {"type": "long"},
    "ResourceNotFoundException": {
        "type": "structure", "members": {},
        "error": {"code": "ResourceNotFoundException", "httpStatusCode": 404, "senderFault": True},
        "exception": True,
    },
    "StartMessageMoveTaskRequest": {
        "type": "structure", "required": ["SourceArn"],
        "members": {"SourceArn": {"shape": "String"}, "DestinationArn": {"shape": "String"},
                    "MaxNumberOfMessagesPerSecond": {"shape": "Integer"}},
    },
    "StartMessageMoveTaskResult": {"type": "structure", "members": {"TaskHandle": {"shape": "String"}}},
    "CancelMessageMoveTaskRequest": {"type": "structure", "required": ["TaskHandle"], "members": {"TaskHandle": {"shape": "String"}}},
    "CancelMessageMoveTaskResult": {"type": "structure", "members": {"ApproximateNumberOfMessagesMoved": {"shape": "Long"}}},
    "ListMessageMoveTasksRequest": {
        "type": "structure", "required": ["SourceArn"],
        "members": {"SourceArn": {"shape": "String"}, "MaxResults": {"shape": "Integer"}},
    },
    "ListMessageMoveTasksResult": {"type": "structure", "members": {"Results": {"shape": "ListMessageMoveTasksResultEntryList"}}},
    "ListMessageMoveTasksResultEntry": {
        "type": "structure",
        "members": {
            "TaskHandle": {"shape": "String"}, "Status": {"shape": "String"}, "SourceArn": {"shape": "String"},
            "DestinationArn": {"shape": "String"}, "MaxNumberOfMessagesPerSecond": {"shape": "Integer"},
            "ApproximateNumberOfMessagesMoved": {"shape": "Long"}, "ApproximateNumberOfMessagesToMove": {"shape": "Long"},
            "FailureReason": {"shape": "String"}, "StartedTimestamp": {"shape": "Long"},
        },
    },
    "ListMessageMoveTasksResultEntryList": {
        "type": "list", "member": {"shape": "ListMessageMoveTasksResultEntry", "locationName": "ListMessageMoveTasksResultEntry"},
        "flattened": True,
    },
}


def bundled_sqs_model(module):
    """(path, model) of the SQS 2012-11-05 model that botocore package `module` ships."""
    pkg = importlib.import_module(module)
    base = os.path.join(os.path.dirname(pkg.__file__), "data", "sqs", "2012-11-05")
    for path in sorted(glob.glob(os.path.join(base, "service-2.json*"))):
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as f:
            return path, json.load(f)
    raise RuntimeError("no SQS model under %s" % base)


def extend_model(module, out_dir):
    """Writes the SQS model of `module` plus the move-task operations, if it lacks them."""
    _, model = bundled_sqs_model(module)
    if "StartMessageMoveTask" in model["operations"]:
        return "bundled"
    if model["metadata"]["protocol"] != "query":
        raise RuntimeError("only a Query-protocol model is extended (got %s)" % model["metadata"]["protocol"])
    model = copy.deepcopy(model)
    model["operations"].update(MOVE_TASK_OPERATIONS)
    for name, shape in MOVE_TASK_SHAPES.items():
        model["shapes"].setdefault(name, shape)
    target = os.path.join(out_dir, "sqs", "2012-11-05")
    os.makedirs(target, exist_ok=True)
    with open(os.path.join(target, "service-2.json"), "w", encoding="utf-8") as f:
        json.dump(model, f)
    return "extended"


if len(sys.argv) == 4 and sys.argv[1] == "--extend-model":
    print(extend_model(sys.argv[2], sys.argv[3]))
    sys.exit(0)

ENDPOINT = sys.argv[1]

# Must happen before the first botocore session reads its data path.
MODEL_DIR = tempfile.mkdtemp(prefix="pier-fifo-model-")
atexit.register(shutil.rmtree, MODEL_DIR, True)
MOVE_TASK_MODEL = extend_model("botocore", MODEL_DIR)
if MOVE_TASK_MODEL == "extended":
    os.environ["AWS_DATA_PATH"] = MODEL_DIR

import boto3  # noqa: E402  (after AWS_DATA_PATH)
import botocore  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

sqs = boto3.client(
    "sqs",
    endpoint_url=ENDPOINT,
    region_name=REGION,
    aws_access_key_id="AKIDCONFORMANCE",
    aws_secret_access_key="conformance-secret",
    config=Config(retries={"max_attempts": 1, "mode": "standard"}, read_timeout=30),
)
PROTOCOL = sqs.meta.service_model.protocol
SOURCE_ARN = "arn:aws:sqs:%s:%s:%s" % (REGION, ACCOUNT, SOURCE)
DLQ_ARN = "arn:aws:sqs:%s:%s:%s" % (REGION, ACCOUNT, DLQ)

state = {}


def md5_hex(text):
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def sha256_hex(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def body_of(sku, n):
    return json.dumps({"sku": sku, "update": n, "delta": (n + 1) * (1 if n % 2 == 0 else -1)}, sort_keys=True)


def expect_error(fn, code, status=None, exception=None, message=None):
    """Calls fn, expects a ClientError with Error.Code == code; returns the error."""
    try:
        fn()
    except ClientError as e:
        err = e.response["Error"]
        assert err["Code"] == code, "Error.Code %r != %r (%r)" % (err["Code"], code, err)
        assert err.get("Type") == "Sender", "Error.Type %r" % (err.get("Type"),)
        if status is not None:
            got = e.response["ResponseMetadata"]["HTTPStatusCode"]
            assert got == status, "HTTP status %r != %r" % (got, status)
        if exception is not None:
            cls = getattr(sqs.exceptions, exception)
            assert isinstance(e, cls), "%s is not client.exceptions.%s" % (type(e).__name__, exception)
        if message is not None:
            assert message in err.get("Message", ""), "message %r lacks %r" % (err.get("Message"), message)
        return e
    raise AssertionError("expected %s, the call succeeded" % code)


def counts(url):
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names).get("Attributes", {})
    return int(a[names[0]]), int(a[names[1]])


def check_sequence(seen, group, seq):
    """SequenceNumber: a decimal string, strictly increasing within its group (spec §5.4)."""
    assert seq.isdigit() and len(seq) <= 40, "SequenceNumber %r" % seq
    last = seen.get(group)
    assert last is None or int(seq) > int(last), "%s: SequenceNumber %s after %s" % (group, seq, last)
    seen[group] = seq


CHECKS = []


def check(fn):
    CHECKS.append(fn)
    return fn


@check
def create_fifo_queue_with_fifo_dlq():
    dlq = sqs.create_queue(QueueName=DLQ, Attributes={"FifoQueue": "true"})["QueueUrl"]
    policy = json.dumps({"deadLetterTargetArn": DLQ_ARN, "maxReceiveCount": str(MAX_RECEIVE_COUNT)})
    url = sqs.create_queue(QueueName=SOURCE, Attributes={
        "FifoQueue": "true", "ContentBasedDeduplication": "true", "VisibilityTimeout": "30", "RedrivePolicy": policy,
    })["QueueUrl"]
    assert url == "%s/%s/%s" % (ENDPOINT, ACCOUNT, SOURCE), url
    a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    for k, v in {"FifoQueue": "true", "ContentBasedDeduplication": "true", "DeduplicationScope": "queue",
                 "FifoThroughputLimit": "perQueue", "QueueArn": SOURCE_ARN}.items():
        assert a.get(k) == v, "%s = %r" % (k, a.get(k))
    assert json.loads(a["RedrivePolicy"]) == {"deadLetterTargetArn": DLQ_ARN, "maxReceiveCount": MAX_RECEIVE_COUNT}, a["RedrivePolicy"]
    assert sqs.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"] == [url]
    state.update(url=url, dlq=dlq)


@check
def send_stock_updates_grouped_by_sku():
    url = state["url"]
    sent, seqs = {}, {}
    # Round 0: SendMessage with explicit deduplication ids.
    for sku in SKUS:
        body = body_of(sku, 0)
        r = sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=sku, MessageDeduplicationId="%s-0" % sku)
        assert r["MD5OfMessageBody"] == md5_hex(body)
        check_sequence(seqs, sku, r["SequenceNumber"])
        sent[(sku, 0)] = r["MessageId"]
    # Later rounds: one SendMessageBatch per round, content-based deduplication (SHA-256 of the body).
    for n in range(1, UPDATES):
        entries = [{"Id": "%s-%d" % (sku, n), "MessageBody": body_of(sku, n), "MessageGroupId": sku} for sku in SKUS]
        r = sqs.send_message_batch(QueueUrl=url, Entries=entries)
        assert not r.get("Failed"), r.get("Failed")
        assert [e["Id"] for e in r["Successful"]] == [e["Id"] for e in entries], "results in request order"
        for e, res in zip(entries, r["Successful"]):
            assert res["MD5OfMessageBody"] == md5_hex(e["MessageBody"])
            check_sequence(seqs, e["MessageGroupId"], res["SequenceNumber"])
            sent[(e["MessageGroupId"], n)] = res["MessageId"]
    assert len(set(sent.values())) == len(SKUS) * UPDATES
    state["sent"] = sent


@check
def duplicate_sends_are_acknowledged_not_enqueued():
    url, sent = state["url"], state["sent"]
    # The same explicit id again (a producer retry with a changed body): the original is kept.
    retry = sqs.send_message(QueueUrl=url, MessageBody="retry of SKU-1001 update 0", MessageGroupId="SKU-1001",
                             MessageDeduplicationId="SKU-1001-0")
    assert retry["MessageId"] == sent[("SKU-1001", 0)], "duplicate answers with the original MessageId"
    assert retry["MD5OfMessageBody"] == md5_hex("retry of SKU-1001 update 0"), "MD5 of the body this request sent"
    # The same body again without an id: content-based deduplication catches it.
    again = sqs.send_message(QueueUrl=url, MessageBody=body_of("SKU-1002", 1), MessageGroupId="SKU-1002")
    assert again["MessageId"] == sent[("SKU-1002", 1)]
    # And inside a batch.
    r = sqs.send_message_batch(QueueUrl=url, Entries=[
        {"Id": "dup", "MessageBody": body_of("SKU-1003", 2), "MessageGroupId": "SKU-1003"},
        {"Id": "dup-explicit", "MessageBody": "whatever", "MessageGroupId": "SKU-1004", "MessageDeduplicationId": "SKU-1004-0"},
    ])
    ids = {e["Id"]: e["MessageId"] for e in r["Successful"]}
    assert ids == {"dup": sent[("SKU-1003", 2)], "dup-explicit": sent[("SKU-1004", 0)]}, ids
    assert counts(url) == (len(SKUS) * UPDATES, 0), "nothing extra enqueued: %r" % (counts(url),)


@check
def receive_request_attempt_id_retry_returns_the_same_batch():
    url = state["url"]
    kwargs = dict(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"], ReceiveRequestAttemptId="inventory-worker-1-attempt-1")
    first = sqs.receive_message(**kwargs).get("Messages", [])
    assert first, "the first attempt gets messages"
    retry = sqs.receive_message(**kwargs).get("Messages", [])
    assert [(m["MessageId"], m["ReceiptHandle"]) for m in retry] == [(m["MessageId"], m["ReceiptHandle"]) for m in first]
    state["first_batch"] = first


@check
def consumers_apply_each_sku_in_order_exactly_once():
    url, sent = state["url"], state["sent"]
    applied = {sku: [] for sku in SKUS}
    seen_ids, seqs = set(), {}
    pending = list(state.get("first_batch", []))
    for _ in range(60):
        if sum(len(v) for v in applied.values()) == len(SKUS) * UPDATES:
            break
        if not pending:
            pending = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"],
                                          WaitTimeSeconds=1).get("Messages", [])
        entries = []
        for i, m in enumerate(pending):
            body = json.loads(m["Body"])
            assert m["MD5OfBody"] == md5_hex(m["Body"])
            a = m["Attributes"]
            assert a["MessageGroupId"] == body["sku"], a
            expected_dedup = "%s-0" % body["sku"] if body["update"] == 0 else sha256_hex(m["Body"])
            assert a["MessageDeduplicationId"] == expected_dedup, (a["MessageDeduplicationId"], expected_dedup)
            assert a["ApproximateReceiveCount"] == "1", "nothing was received twice"
            check_sequence(seqs, body["sku"], a["SequenceNumber"])
            assert m["MessageId"] == sent[(body["sku"], body["update"])]
            assert m["MessageId"] not in seen_ids, "delivered once"
            seen_ids.add(m["MessageId"])
            applied[body["sku"]].append(body["update"])
            entries.append({"Id": "m%d" % i, "ReceiptHandle": m["ReceiptHandle"]})
        if entries:
            r = sqs.delete_message_batch(QueueUrl=url, Entries=entries)
            assert not r.get("Failed"), r.get("Failed")
        pending = []
    assert applied == {sku: list(range(UPDATES)) for sku in SKUS}, applied
    assert sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1).get("Messages") is None, "no duplicate left"
    assert counts(url) == (0, 0)


@check
def a_message_failing_three_receives_lands_in_the_dlq():
    url, dlq = state["url"], state["dlq"]
    body = json.dumps({"sku": POISON_SKU, "update": 0, "delta": "not-a-number"})
    poison = sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=POISON_SKU, MessageDeduplicationId="poison-0")["MessageId"]
    for attempt in range(1, MAX_RECEIVE_COUNT + 1):
        got = sqs.receive_message(QueueUrl=url, AttributeNames=["All"], WaitTimeSeconds=1).get("Messages", [])
        assert [m["MessageId"] for m in got] == [poison], "attempt %d: %r" % (attempt, got)
        assert got[0]["Attributes"]["ApproximateReceiveCount"] == str(attempt)
        # Processing fails: the worker hands the message back at once.
        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=got[0]["ReceiptHandle"], VisibilityTimeout=0)
    assert sqs.receive_message(QueueUrl=url, AttributeNames=["All"]).get("Messages") is None, "moved, not returned"
    got = sqs.receive_message(QueueUrl=dlq, AttributeNames=["All"], VisibilityTimeout=0).get("Messages", [])
    assert len(got) == 1, got
    m, a = got[0], got[0]["Attributes"]
    assert (m["MessageId"], m["Body"], m["MD5OfBody"]) == (poison, body, md5_hex(body))
    assert a["ApproximateReceiveCount"] == str(MAX_RECEIVE_COUNT + 1), "the count carries over (AWS-rec): %r" % a
    assert a["DeadLetterQueueSourceArn"] == SOURCE_ARN, a
    assert a["MessageGroupId"] == POISON_SKU
    assert a["MessageDeduplicationId"] == poison, "a FIFO dead letter takes its MessageId as dedup id (spec §6.8)"
    state["poison"] = (poison, body)


@check
def start_message_move_task_redrives_to_the_source():
    url, dlq = state["url"], state["dlq"]
    poison, body = state["poison"]
    handle = sqs.start_message_move_task(SourceArn=DLQ_ARN)["TaskHandle"]
    assert isinstance(handle, str) and handle
    deadline = time.time() + 30  # a bound, not an expectation: the task moves one message
    while True:
        tasks = sqs.list_message_move_tasks(SourceArn=DLQ_ARN, MaxResults=10)["Results"]
        if tasks and tasks[0]["Status"] not in ("RUNNING", "CANCELLING"):
            break
        assert time.time() < deadline, "task still %r after 30 s" % (tasks,)
        time.sleep(0.1)
    t = tasks[0]
    assert t["Status"] == "COMPLETED", t
    assert (t["SourceArn"], t["ApproximateNumberOfMessagesMoved"], t["ApproximateNumberOfMessagesToMove"]) == (DLQ_ARN, 1, 1), t
    assert "DestinationArn" not in t and "TaskHandle" not in t and "MaxNumberOfMessagesPerSecond" not in t, t
    assert isinstance(t["StartedTimestamp"], int) and abs(t["StartedTimestamp"] - time.time() * 1000) < 86_400_000, t
    got = sqs.receive_message(QueueUrl=url, AttributeNames=["All"], WaitTimeSeconds=1).get("Messages", [])
    assert len(got) == 1 and got[0]["Body"] == body, got
    m, a = got[0], got[0]["Attributes"]
    assert m["MessageId"] != poison, "a redriven message is a new message"
    assert a["ApproximateReceiveCount"] == "1", "a fresh receive count, so it does not bounce straight back"
    assert "DeadLetterQueueSourceArn" not in a and a["MessageGroupId"] == POISON_SKU, a
    sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])  # processed after the fix
    assert counts(dlq) == (0, 0) and counts(url) == (0, 0)
    expect_error(lambda: sqs.cancel_message_move_task(TaskHandle=handle), "ResourceNotFoundException", 404,
                 "ResourceNotFoundException", "Task does not exist.")


@check
def fifo_errors_as_botocore_reports_them():
    url = state["url"]
    expect_error(lambda: sqs.send_message(QueueUrl=url, MessageBody="x", MessageDeduplicationId="e-1"), "MissingParameter", 400,
                 message="The request must contain the parameter MessageGroupId.")
    expect_error(lambda: sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="SKU-1001", DelaySeconds=5),
                 "InvalidParameterValue", 400, message="Value 5 for parameter DelaySeconds is invalid.")
    expect_error(lambda: sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="SKU 1001"), "InvalidParameterValue", 400,
                 message="MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.")
    expect_error(lambda: sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": "a", "MessageBody": "x"}]), "InvalidParameterValue", 400,
                 message="The request must contain the parameter MessageGroupId.")
    expect_error(lambda: sqs.start_message_move_task(SourceArn=SOURCE_ARN), "InvalidParameterValue", 400,
                 message="Source queue must be configured as a Dead Letter Queue.")
    expect_error(lambda: sqs.start_message_move_task(SourceArn=DLQ_ARN.replace("dlq", "nope")), "ResourceNotFoundException", 404,
                 "ResourceNotFoundException", "The resource that you specified for the SourceArn parameter doesn't exist.")
    expect_error(lambda: sqs.cancel_message_move_task(TaskHandle="foobared"), "InvalidParameterValue", 400,
                 message="Value for parameter TaskHandle is invalid.")


def main():
    passed, failed = [], []
    for fn in CHECKS:
        try:
            fn()
            passed.append(fn.__name__)
        except Exception:  # noqa: BLE001 - every failure is reported, none stops the report
            failed.append({"check": fn.__name__, "error": traceback.format_exc(limit=3)})
    print(json.dumps({
        "protocol": PROTOCOL,
        "boto3": boto3.__version__,
        "botocore": botocore.__version__,
        "python": sys.version.split()[0],
        "move_task_model": MOVE_TASK_MODEL,
        "total": len(CHECKS),
        "passed": passed,
        "failed": failed,
    }))
    sys.exit(1 if failed else 0)


main()
