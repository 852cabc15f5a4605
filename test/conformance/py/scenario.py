"""Pier conformance scenario through boto3, against a running server.

Usage: python scenario.py ENDPOINT PREFIX

Runs every check below (each independent of the others' outcome), then prints one JSON line:
{"protocol", "boto3", "botocore", "python", "total", "passed": [...], "failed": [{"check", "error"}]}
and exits 1 if any check failed. Works with old botocore (Query protocol, e.g. Debian's 1.29)
and new botocore (JSON protocol, >= 1.34.90); where the two protocols legitimately differ
(error message wording, botocore's QueryErrorCode), the check branches on the protocol.
"""
import base64
import hashlib
import json
import struct
import sys
import threading
import time
import traceback

import boto3
import botocore
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT = sys.argv[1]
PREFIX = sys.argv[2]
ACCOUNT = "000000000000"
REGION = "us-east-1"


def make_client():
    return boto3.client(
        "sqs",
        endpoint_url=ENDPOINT,
        region_name=REGION,
        aws_access_key_id="AKIDCONFORMANCE",
        aws_secret_access_key="conformance-secret",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, read_timeout=30),
    )


sqs = make_client()
PROTOCOL = sqs.meta.service_model.protocol


def name(suffix):
    return "%s-%s" % (PREFIX, suffix)


def create(suffix, attributes=None, tags=None):
    kwargs = {"QueueName": name(suffix)}
    if attributes:
        kwargs["Attributes"] = attributes
    if tags:
        kwargs["tags"] = tags
    return sqs.create_queue(**kwargs)["QueueUrl"]


def attrs(url, names=("All",)):
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=list(names)).get("Attributes", {})


def md5_hex(data):
    return hashlib.md5(data).hexdigest()


def md5_of_attributes(attributes):
    """SQS's MD5OfMessageAttributes (spec §5.3), independent of the server's implementation."""
    out = b""
    for key in sorted(attributes, key=lambda k: k.encode("utf-8")):
        a = attributes[key]
        for part in (key.encode("utf-8"), a["DataType"].encode("utf-8")):
            out += struct.pack(">I", len(part)) + part
        if "BinaryValue" in a:
            value = a["BinaryValue"]
            out += b"\x02" + struct.pack(">I", len(value)) + value
        else:
            value = a["StringValue"].encode("utf-8")
            out += b"\x01" + struct.pack(">I", len(value)) + value
    return md5_hex(out)


def expect_error(fn, code, status=None, exception=None, message=None, shape=None):
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
        if shape is not None and PROTOCOL == "json":
            # botocore keeps the JSON __type short name next to the query code.
            assert err.get("QueryErrorCode") == shape, "QueryErrorCode %r != %r" % (err.get("QueryErrorCode"), shape)
        assert e.response["ResponseMetadata"].get("RequestId"), "request id surfaced"
        return e
    raise AssertionError("expected %s, the call succeeded" % code)


CHECKS = []


def check(fn):
    CHECKS.append(fn)
    return fn


@check
def create_queue_with_attributes_and_tags_idempotently():
    url = create("create", {"DelaySeconds": "2", "VisibilityTimeout": "40"}, {"team": "core", "env": "test"})
    assert url == "%s/%s/%s" % (ENDPOINT, ACCOUNT, name("create")), url
    assert create("create") == url
    assert create("create", {"VisibilityTimeout": "40"}) == url
    a = attrs(url)
    assert a["DelaySeconds"] == "2" and a["VisibilityTimeout"] == "40", a
    assert a["QueueArn"] == "arn:aws:sqs:%s:%s:%s" % (REGION, ACCOUNT, name("create")), a["QueueArn"]
    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"team": "core", "env": "test"}
    expect_error(lambda: create("create", {"DelaySeconds": "3"}), "QueueAlreadyExists", 400, "QueueNameExists",
                 "DelaySeconds", shape="QueueNameExists")


@check
def get_queue_url_and_queue_does_not_exist():
    url = create("url")
    assert sqs.get_queue_url(QueueName=name("url"))["QueueUrl"] == url
    wording = "The specified queue does not exist for this wsdl version." if PROTOCOL == "query" else "The specified queue does not exist."
    e = expect_error(lambda: sqs.get_queue_url(QueueName=name("missing")), "AWS.SimpleQueueService.NonExistentQueue",
                     400, "QueueDoesNotExist", shape="QueueDoesNotExist")
    assert e.response["Error"]["Message"] == wording, e.response["Error"]["Message"]
    missing = "%s/%s/%s" % (ENDPOINT, ACCOUNT, name("missing"))
    expect_error(lambda: sqs.send_message(QueueUrl=missing, MessageBody="x"), "AWS.SimpleQueueService.NonExistentQueue", 400, "QueueDoesNotExist")
    expect_error(lambda: sqs.receive_message(QueueUrl=missing), "AWS.SimpleQueueService.NonExistentQueue", 400, "QueueDoesNotExist")


@check
def list_queues_with_paging():
    urls = sorted(create("list-%d" % i) for i in range(5))
    listed = sqs.list_queues(QueueNamePrefix=name("list-"))["QueueUrls"]
    assert sorted(listed) == urls, listed
    paged, token, pages = [], None, 0
    while True:
        kwargs = {"QueueNamePrefix": name("list-"), "MaxResults": 2}
        if token:
            kwargs["NextToken"] = token
        page = sqs.list_queues(**kwargs)
        pages += 1
        assert len(page.get("QueueUrls", [])) <= 2
        paged += page.get("QueueUrls", [])
        token = page.get("NextToken")
        if not token or pages > 5:
            break
    assert pages == 3 and sorted(paged) == urls, (pages, paged)
    # The paginator drives NextToken itself.
    via_paginator = []
    for page in sqs.get_paginator("list_queues").paginate(QueueNamePrefix=name("list-"), PaginationConfig={"PageSize": 2}):
        via_paginator += page.get("QueueUrls", [])
    assert sorted(via_paginator) == urls, via_paginator
    assert "QueueUrls" not in sqs.list_queues(QueueNamePrefix=name("nothing-matches"))


@check
def set_and_get_queue_attributes():
    url = create("attrs")
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "12", "MaximumMessageSize": "1024"})
    assert attrs(url, ["VisibilityTimeout", "MaximumMessageSize"]) == {"VisibilityTimeout": "12", "MaximumMessageSize": "1024"}
    expect_error(lambda: attrs(url, ["Bogus"]), "InvalidAttributeName", 400, "InvalidAttributeName")
    expect_error(lambda: sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "-1"}), "InvalidAttributeValue", 400)
    expect_error(lambda: sqs.send_message(QueueUrl=url, MessageBody="x" * 1025), "InvalidParameterValue", 400,
                 message="shorter than 1024 bytes", shape="InvalidParameterValueException")


@check
def send_and_receive_typed_attributes_and_trace_header():
    url = create("attributes")
    body = u"h\u00e9llo \U0001F680 <xml> & \"quotes\"\r\n"
    attributes = {
        "str": {"DataType": "String", "StringValue": u"plain \u2713"},
        "num": {"DataType": "Number", "StringValue": "42.5"},
        "bin": {"DataType": "Binary", "BinaryValue": b"\x00\x01\xfe\xff"},
        "custom.kind": {"DataType": "Number.float", "StringValue": "4563442423554324324264524243.32543234"},
        "label": {"DataType": "String.Array", "StringValue": '["a","b"]'},
    }
    trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
    sent = sqs.send_message(
        QueueUrl=url, MessageBody=body, MessageAttributes=attributes,
        MessageSystemAttributes={"AWSTraceHeader": {"DataType": "String", "StringValue": trace}},
    )
    assert sent["MD5OfMessageBody"] == md5_hex(body.encode("utf-8")), sent
    assert sent["MD5OfMessageAttributes"] == md5_of_attributes(attributes), sent
    assert sent["MD5OfMessageSystemAttributes"] == md5_of_attributes({"AWSTraceHeader": {"DataType": "String", "StringValue": trace}}), sent
    assert "SequenceNumber" not in sent
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"], AttributeNames=["All"])
    assert len(got["Messages"]) == 1, got
    m = got["Messages"][0]
    assert m["MessageId"] == sent["MessageId"]
    assert m["Body"] == body, repr(m["Body"])
    assert m["MD5OfBody"] == md5_hex(body.encode("utf-8"))
    assert m["MD5OfMessageAttributes"] == sent["MD5OfMessageAttributes"]
    assert m["MessageAttributes"] == attributes, m["MessageAttributes"]
    assert m["Attributes"]["AWSTraceHeader"] == trace
    assert m["Attributes"]["ApproximateReceiveCount"] == "1"
    assert len(m["Attributes"]["SentTimestamp"]) == 13 and m["Attributes"]["SentTimestamp"].isdigit()
    assert m["Attributes"]["SenderId"]
    assert "Messages" not in sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0), "the message is in flight"
    receive_members = sqs.meta.service_model.operation_model("ReceiveMessage").input_shape.members
    if "MessageSystemAttributeNames" in receive_members:  # newer models; the deprecated name still works
        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=0)
        again = sqs.receive_message(QueueUrl=url, MessageSystemAttributeNames=["SentTimestamp"], AttributeNames=["SenderId"])["Messages"][0]
        assert sorted(again["Attributes"]) == ["SenderId", "SentTimestamp"], again["Attributes"]


@check
def attribute_name_filters():
    url = create("filters")
    attributes = {
        "app.id": {"DataType": "String", "StringValue": "1"},
        "app.name": {"DataType": "String", "StringValue": "two"},
        "other": {"DataType": "Number", "StringValue": "3"},
    }
    sqs.send_message(QueueUrl=url, MessageBody="filtered", MessageAttributes=attributes)
    m = sqs.receive_message(QueueUrl=url, MessageAttributeNames=["app.*"], VisibilityTimeout=0)["Messages"][0]
    assert sorted(m["MessageAttributes"]) == ["app.id", "app.name"], m
    assert m["MD5OfMessageAttributes"] == md5_of_attributes({k: attributes[k] for k in ("app.id", "app.name")})
    m = sqs.receive_message(QueueUrl=url)["Messages"][0]
    assert "MessageAttributes" not in m and "MD5OfMessageAttributes" not in m and "Attributes" not in m, m


@check
def send_batch_with_a_failing_entry():
    url = create("batch")
    out = sqs.send_message_batch(QueueUrl=url, Entries=[
        {"Id": "ok-1", "MessageBody": "first", "MessageAttributes": {"k": {"DataType": "String", "StringValue": "v"}}},
        {"Id": "bad", "MessageBody": u"nul \u0000 here"},
        {"Id": "ok_2", "MessageBody": "second"},
    ])
    assert sorted(s["Id"] for s in out["Successful"]) == ["ok-1", "ok_2"], out
    ok1 = [s for s in out["Successful"] if s["Id"] == "ok-1"][0]
    assert ok1["MD5OfMessageBody"] == md5_hex(b"first")
    assert ok1["MD5OfMessageAttributes"] == md5_of_attributes({"k": {"DataType": "String", "StringValue": "v"}})
    assert len(out["Failed"]) == 1, out
    failed = out["Failed"][0]
    assert failed["Id"] == "bad" and failed["Code"] == "InvalidMessageContents" and failed["SenderFault"] is True, failed
    bodies = sorted(m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []))
    assert bodies == ["first", "second"], bodies
    entries = [{"Id": "e%d" % i, "MessageBody": "m"} for i in range(11)]
    expect_error(lambda: sqs.send_message_batch(QueueUrl=url, Entries=entries), "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
                 400, "TooManyEntriesInBatchRequest", shape="TooManyEntriesInBatchRequest")
    expect_error(lambda: sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": "a", "MessageBody": "1"}, {"Id": "a", "MessageBody": "2"}]),
                 "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", 400, "BatchEntryIdsNotDistinct")
    expect_error(lambda: sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": "bad id", "MessageBody": "1"}]),
                 "AWS.SimpleQueueService.InvalidBatchEntryId", 400, "InvalidBatchEntryId")


@check
def long_poll_woken_by_a_concurrent_send():
    url = create("long-poll")
    assert "Messages" not in sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1)
    result = {}

    def poll():
        try:
            result["out"] = make_client().receive_message(QueueUrl=url, WaitTimeSeconds=2)
        except Exception as e:  # surfaced by the assertion below
            result["error"] = e

    t = threading.Thread(target=poll)
    t.start()
    time.sleep(0.2)
    sqs.send_message(QueueUrl=url, MessageBody="wake up")
    t.join(30)
    assert "error" not in result, result.get("error")
    assert [m["Body"] for m in result["out"].get("Messages", [])] == ["wake up"], result


@check
def visibility_and_change_visibility():
    url = create("visibility", {"VisibilityTimeout": "30"})
    sqs.send_message(QueueUrl=url, MessageBody="once")
    first = sqs.receive_message(QueueUrl=url, AttributeNames=["ApproximateReceiveCount"])["Messages"][0]
    assert first["Attributes"]["ApproximateReceiveCount"] == "1"
    assert "Messages" not in sqs.receive_message(QueueUrl=url)
    counts = attrs(url, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])
    assert counts == {"ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "1"}, counts
    sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=first["ReceiptHandle"], VisibilityTimeout=0)
    second = sqs.receive_message(QueueUrl=url, AttributeNames=["All"])["Messages"][0]
    assert second["MessageId"] == first["MessageId"] and second["ReceiptHandle"] != first["ReceiptHandle"]
    assert second["Attributes"]["ApproximateReceiveCount"] == "2"
    expect_error(lambda: sqs.change_message_visibility(QueueUrl=url, ReceiptHandle="garbage", VisibilityTimeout=1),
                 "ReceiptHandleIsInvalid", exception="ReceiptHandleIsInvalid", message="garbage")
    expect_error(lambda: sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=second["ReceiptHandle"], VisibilityTimeout=43201),
                 "InvalidParameterValue", 400)
    sqs.delete_message(QueueUrl=url, ReceiptHandle=second["ReceiptHandle"])
    sqs.delete_message(QueueUrl=url, ReceiptHandle=second["ReceiptHandle"])  # idempotent
    expect_error(lambda: sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=second["ReceiptHandle"], VisibilityTimeout=1),
                 "InvalidParameterValue", 400, message="does not exist or is not available")
    expect_error(lambda: sqs.delete_message(QueueUrl=url, ReceiptHandle="garbage"), "ReceiptHandleIsInvalid", exception="ReceiptHandleIsInvalid")


@check
def batch_visibility_and_delete():
    url = create("batches", {"VisibilityTimeout": "30"})
    sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": b, "MessageBody": b} for b in ("a", "b", "c")])
    got = []
    for _ in range(5):
        got += sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if len(got) >= 3:
            break
    assert len(got) == 3, got
    vis = sqs.change_message_visibility_batch(QueueUrl=url, Entries=[
        {"Id": "v0", "ReceiptHandle": got[0]["ReceiptHandle"], "VisibilityTimeout": 0},
        {"Id": "v1", "ReceiptHandle": got[1]["ReceiptHandle"], "VisibilityTimeout": 60},
        {"Id": "vbad", "ReceiptHandle": "garbage", "VisibilityTimeout": 0},
    ])
    assert sorted(s["Id"] for s in vis["Successful"]) == ["v0", "v1"], vis
    assert [(f["Id"], f["Code"], f["SenderFault"]) for f in vis["Failed"]] == [("vbad", "ReceiptHandleIsInvalid", True)], vis
    again = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    assert [m["MessageId"] for m in again] == [got[0]["MessageId"]], again
    deleted = sqs.delete_message_batch(QueueUrl=url, Entries=[
        {"Id": "d0", "ReceiptHandle": again[0]["ReceiptHandle"]},
        {"Id": "d1", "ReceiptHandle": got[1]["ReceiptHandle"]},
        {"Id": "d2", "ReceiptHandle": got[2]["ReceiptHandle"]},
        {"Id": "dbad", "ReceiptHandle": "garbage"},
    ])
    assert sorted(s["Id"] for s in deleted["Successful"]) == ["d0", "d1", "d2"], deleted
    assert [(f["Id"], f["Code"]) for f in deleted["Failed"]] == [("dbad", "ReceiptHandleIsInvalid")], deleted
    counts = attrs(url, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])
    assert counts == {"ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0"}, counts


@check
def purge_queue():
    url = create("purge")
    sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": "m%d" % i, "MessageBody": str(i)} for i in range(3)])
    sqs.purge_queue(QueueUrl=url)
    assert "Messages" not in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
    assert attrs(url, ["ApproximateNumberOfMessages"]) == {"ApproximateNumberOfMessages": "0"}
    expect_error(lambda: sqs.purge_queue(QueueUrl=url), "AWS.SimpleQueueService.PurgeQueueInProgress", 403, "PurgeQueueInProgress",
                 name("purge"), shape="PurgeQueueInProgress")


@check
def tags():
    url = create("tags", tags={"a": "1"})
    sqs.tag_queue(QueueUrl=url, Tags={"b": "2", "a": "overwritten"})
    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"a": "overwritten", "b": "2"}
    sqs.untag_queue(QueueUrl=url, TagKeys=["a"])
    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"b": "2"}
    sqs.untag_queue(QueueUrl=url, TagKeys=["b"])
    assert "Tags" not in sqs.list_queue_tags(QueueUrl=url)


@check
def permissions():
    url = create("perms")
    sqs.add_permission(QueueUrl=url, Label="send-from-b", AWSAccountIds=["111122223333"], Actions=["SendMessage"])
    sqs.add_permission(QueueUrl=url, Label="read-from-c", AWSAccountIds=["444455556666"], Actions=["ReceiveMessage", "DeleteMessage"])
    policy = json.loads(attrs(url, ["Policy"])["Policy"])
    assert [s["Sid"] for s in policy["Statement"]] == ["send-from-b", "read-from-c"], policy
    assert policy["Statement"][0]["Action"] == "SQS:SendMessage"
    assert policy["Statement"][0]["Resource"] == "arn:aws:sqs:%s:%s:%s" % (REGION, ACCOUNT, name("perms"))
    expect_error(lambda: sqs.add_permission(QueueUrl=url, Label="send-from-b", AWSAccountIds=["111122223333"], Actions=["SendMessage"]),
                 "InvalidParameterValue", 400, message="Already exists")
    sqs.remove_permission(QueueUrl=url, Label="send-from-b")
    sqs.remove_permission(QueueUrl=url, Label="read-from-c")
    assert "Policy" not in attrs(url)
    expect_error(lambda: sqs.remove_permission(QueueUrl=url, Label="read-from-c"), "InvalidParameterValue", 400, message="can't find label")


@check
def dead_letter_queue_redrive():
    dlq = create("dlq")
    dlq_arn = attrs(dlq, ["QueueArn"])["QueueArn"]
    source = create("dlq-source", {"RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "1"})})
    source_arn = attrs(source, ["QueueArn"])["QueueArn"]
    policy = json.loads(attrs(source, ["RedrivePolicy"])["RedrivePolicy"])
    assert policy == {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1}, policy
    assert sqs.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"] == [source]
    sent = sqs.send_message(QueueUrl=source, MessageBody="poison", MessageAttributes={"why": {"DataType": "String", "StringValue": "bad"}})
    first = sqs.receive_message(QueueUrl=source, VisibilityTimeout=0, AttributeNames=["ApproximateReceiveCount"])["Messages"][0]
    assert first["MessageId"] == sent["MessageId"] and first["Attributes"]["ApproximateReceiveCount"] == "1"
    assert "Messages" not in sqs.receive_message(QueueUrl=source), "moved to the DLQ instead of returned"
    dead = sqs.receive_message(QueueUrl=dlq, WaitTimeSeconds=1, AttributeNames=["All"], MessageAttributeNames=["All"])["Messages"][0]
    assert dead["MessageId"] == sent["MessageId"] and dead["Body"] == "poison"
    assert dead["MessageAttributes"] == {"why": {"DataType": "String", "StringValue": "bad"}}
    assert dead["Attributes"]["DeadLetterQueueSourceArn"] == source_arn, dead["Attributes"]
    assert dead["Attributes"]["ApproximateReceiveCount"] == "2", dead["Attributes"]


@check
def invalid_parameters():
    url = create("invalid")
    expect_error(lambda: sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=11), "InvalidParameterValue", 400,
                 message="MaxNumberOfMessages", shape="InvalidParameterValueException")
    expect_error(lambda: sqs.receive_message(QueueUrl=url, WaitTimeSeconds=21), "InvalidParameterValue", 400, message="WaitTimeSeconds")
    expect_error(lambda: sqs.send_message(QueueUrl=url, MessageBody="x", DelaySeconds=901), "InvalidParameterValue", 400)
    expect_error(lambda: sqs.send_message(QueueUrl=url, MessageBody=u"bad \u0008 char"), "InvalidMessageContents", 400, "InvalidMessageContents")
    expect_error(lambda: sqs.send_message(QueueUrl=url, MessageBody="x", MessageAttributes={"e": {"DataType": "String", "StringValue": ""}}),
                 "InvalidParameterValue", 400, message="non-empty")
    expect_error(lambda: sqs.create_queue(QueueName="bad name!"), "InvalidParameterValue", 400)
    expect_error(lambda: sqs.create_queue(QueueName=name("x"), Attributes={"Nope": "1"}), "InvalidAttributeName", 400, "InvalidAttributeName")
    assert attrs(url, ["ApproximateNumberOfMessages"]) == {"ApproximateNumberOfMessages": "0"}


@check
def maximum_message_size():
    url = create("max-size")
    # 1,048,576 UTF-8 bytes of 2-byte characters: URL-encoded (Query) this is three times larger.
    body = u"\u00e9" * (512 * 1024 - 1) + u"ab"
    assert len(body.encode("utf-8")) == 1048576
    sent = sqs.send_message(QueueUrl=url, MessageBody=body)
    assert sent["MD5OfMessageBody"] == md5_hex(body.encode("utf-8"))
    m = sqs.receive_message(QueueUrl=url)["Messages"][0]
    assert m["MessageId"] == sent["MessageId"] and m["Body"] == body
    expect_error(lambda: sqs.send_message(QueueUrl=url, MessageBody=body + u"x"), "InvalidParameterValue", 400,
                 message="shorter than 1048576 bytes")


@check
def delete_queue():
    url = create("doomed")
    sqs.send_message(QueueUrl=url, MessageBody="left behind")
    sqs.delete_queue(QueueUrl=url)
    expect_error(lambda: sqs.get_queue_url(QueueName=name("doomed")), "AWS.SimpleQueueService.NonExistentQueue", 400, "QueueDoesNotExist")
    expect_error(lambda: create("doomed"), "AWS.SimpleQueueService.QueueDeletedRecently", 400, "QueueDeletedRecently", "60 seconds")


def describe(e):
    """The exception and the scenario lines it came through, without library frames."""
    here = [f for f in traceback.extract_tb(e.__traceback__) if f.filename == __file__]
    where = " <- ".join("line %d: %s" % (f.lineno, f.line) for f in reversed(here))
    return "%s\n  at %s" % ("".join(traceback.format_exception_only(type(e), e)).strip(), where)


def main():
    passed, failed = [], []
    for fn in CHECKS:
        try:
            fn()
            passed.append(fn.__name__)
        except Exception as e:
            failed.append({"check": fn.__name__, "error": describe(e)})
    print(json.dumps({
        "protocol": PROTOCOL,
        "boto3": boto3.__version__,
        "botocore": botocore.__version__,
        "python": sys.executable,
        "total": len(CHECKS),
        "passed": passed,
        "failed": failed,
    }))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
