"""Pier SNS conformance scenario through boto3 (SNS is Query protocol in every botocore).

Usage: python sns_scenario.py ENDPOINT PREFIX

Runs each check independently, prints one JSON line
{"boto3", "botocore", "python", "total", "passed": [...], "failed": [{"check", "error"}]}
and exits 1 if any check failed.
"""
import base64
import json
import sys
import traceback

import boto3
import botocore
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT, PREFIX = sys.argv[1], sys.argv[2]
REGION, ACCOUNT = "us-east-1", "000000000000"


def client(service):
    return boto3.client(service, endpoint_url=ENDPOINT, region_name=REGION, aws_access_key_id="AKIDCONFORMANCE",
                        aws_secret_access_key="conformance-secret", config=Config(retries={"max_attempts": 1}))


sns, sqs = client("sns"), client("sqs")
checks, passed, failed = [], [], []


def check(fn):
    checks.append(fn)
    return fn


def queue(name, fifo=False):
    attrs = {"FifoQueue": "true"} if fifo else {}
    url = sqs.create_queue(QueueName=name, Attributes=attrs)["QueueUrl"]
    return url, f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"


def receive(url):
    return sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"], AttributeNames=["All"]).get("Messages", [])


def expect_error(fn, code, message, status):
    try:
        fn()
    except ClientError as e:
        err = e.response["Error"]
        assert err["Code"] == code, err
        assert err["Message"] == message, err
        assert e.response["ResponseMetadata"]["HTTPStatusCode"] == status, e.response["ResponseMetadata"]
        return e
    raise AssertionError(f"expected {code}")


@check
def fan_out_envelope_and_raw():
    arn = sns.create_topic(Name=f"{PREFIX}-orders")["TopicArn"]
    env_url, env_arn = queue(f"{PREFIX}-env")
    raw_url, raw_arn = queue(f"{PREFIX}-raw")
    sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=env_arn)
    sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=raw_arn, Attributes={"RawMessageDelivery": "true"})
    attrs = {"attr1": {"DataType": "Number", "StringValue": "99.12"}, "bin": {"DataType": "Binary", "BinaryValue": b"\x02\x03\x04"}}
    mid = sns.publish(TopicArn=arn, Message="hello", MessageAttributes=attrs)["MessageId"]
    body = json.loads(receive(env_url)[0]["Body"])
    assert body["MessageId"] == mid and body["Message"] == "hello" and "Subject" not in body, body
    assert body["MessageAttributes"]["bin"] == {"Type": "Binary", "Value": base64.b64encode(b"\x02\x03\x04").decode()}, body
    raw = receive(raw_url)[0]
    assert raw["Body"] == "hello", raw
    assert raw["MessageAttributes"]["bin"]["BinaryValue"] == b"\x02\x03\x04", raw
    assert raw["MessageAttributes"]["attr1"] == {"DataType": "Number", "StringValue": "99.12"}, raw


@check
def attributes_maps_and_lists():
    arn = sns.create_topic(Name=f"{PREFIX}-attrs", Attributes={"DisplayName": "Shown"}, Tags=[{"Key": "k", "Value": "v"}])["TopicArn"]
    assert sns.get_topic_attributes(TopicArn=arn)["Attributes"]["DisplayName"] == "Shown"
    sns.set_topic_attributes(TopicArn=arn, AttributeName="DisplayName", AttributeValue="Other")
    assert sns.get_topic_attributes(TopicArn=arn)["Attributes"]["DisplayName"] == "Other"
    assert sns.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "k", "Value": "v"}]
    sns.untag_resource(ResourceArn=arn, TagKeys=["k"])
    assert sns.list_tags_for_resource(ResourceArn=arn)["Tags"] == []
    _, qarn = queue(f"{PREFIX}-attrs-q")
    sub = sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn, ReturnSubscriptionArn=True)["SubscriptionArn"]
    sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="FilterPolicy", AttributeValue='{"k":[{"prefix":"a"}]}')
    got = sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]
    assert got["FilterPolicy"] == '{"k":[{"prefix":"a"}]}' and got["FilterPolicyScope"] == "MessageAttributes", got
    subs = sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
    assert [s["SubscriptionArn"] for s in subs] == [sub], subs
    assert any(t["TopicArn"] == arn for t in sns.list_topics()["Topics"])
    sns.unsubscribe(SubscriptionArn=sub)
    sns.delete_topic(TopicArn=arn)


@check
def publish_batch():
    arn = sns.create_topic(Name=f"{PREFIX}-batch")["TopicArn"]
    url, qarn = queue(f"{PREFIX}-batch-q")
    sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn, Attributes={"RawMessageDelivery": "true"})
    out = sns.publish_batch(TopicArn=arn, PublishBatchRequestEntries=[{"Id": "1", "Message": "a"}, {"Id": "2", "Message": "b", "MessageAttributes": {"n": {"DataType": "Number", "StringValue": "1"}}}])
    assert [s["Id"] for s in out["Successful"]] == ["1", "2"] and out["Failed"] == [], out
    assert sorted(m["Body"] for m in receive(url)) == ["a", "b"]


@check
def errors_and_exception_classes():
    missing = f"arn:aws:sns:{REGION}:{ACCOUNT}:{PREFIX}-missing"
    e = expect_error(lambda: sns.publish(TopicArn=missing, Message="x"), "NotFound", "Topic does not exist", 404)
    assert isinstance(e, sns.exceptions.NotFoundException), type(e)
    arn = sns.create_topic(Name=f"{PREFIX}-errs")["TopicArn"]
    e = expect_error(lambda: sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint="http://not-an-arn"), "InvalidParameter", "Invalid parameter: SQS endpoint ARN", 400)
    assert isinstance(e, sns.exceptions.InvalidParameterException), type(e)
    e = expect_error(lambda: sns.publish(TopicArn=arn, Message="m", MessageAttributes={"a": {"DataType": "String", "StringValue": ""}}),
                     "ParameterValueInvalid", "The message attribute 'a' must contain non-empty message attribute value for message attribute type 'String'.", 400)
    assert isinstance(e, sns.exceptions.InvalidParameterValueException), type(e)
    expect_error(lambda: sns.publish_batch(TopicArn=arn, PublishBatchRequestEntries=[{"Id": "x", "Message": "m"}, {"Id": "x", "Message": "n"}]),
                 "BatchEntryIdsNotDistinct", "Two or more batch entries in the request have the same Id.", 400)


@check
def fifo_topic_to_fifo_queue():
    arn = sns.create_topic(Name=f"{PREFIX}-f.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
    url, qarn = queue(f"{PREFIX}-fq.fifo", fifo=True)
    sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn)
    a = sns.publish(TopicArn=arn, Message="one", MessageGroupId="g", MessageDeduplicationId="d1")
    b = sns.publish(TopicArn=arn, Message="one", MessageGroupId="g", MessageDeduplicationId="d1")
    assert a["MessageId"] == b["MessageId"] and a["SequenceNumber"] == b["SequenceNumber"], (a, b)
    msgs = receive(url)
    assert len(msgs) == 1, msgs
    assert msgs[0]["Attributes"]["MessageGroupId"] == "g" and msgs[0]["Attributes"]["MessageDeduplicationId"] == "d1", msgs[0]
    assert json.loads(msgs[0]["Body"])["SequenceNumber"] == a["SequenceNumber"]


for fn in checks:
    try:
        fn()
        passed.append(fn.__name__)
    except Exception as e:  # noqa: BLE001 - report every failure
        failed.append({"check": fn.__name__, "error": f"{e!r}\n{traceback.format_exc()}"})

print(json.dumps({"boto3": boto3.__version__, "botocore": botocore.__version__, "python": sys.version.split()[0],
                  "total": len(checks), "passed": passed, "failed": failed}))
sys.exit(1 if failed else 0)
