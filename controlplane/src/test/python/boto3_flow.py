#!/usr/bin/env python3
"""The SageMaker boto3 flow, unchanged apart from endpoint_url, against `sagebox api`.

Trains XGBoost (and a linear learner) from CSV in S3, deploys, invokes, and checks the error paths.
Usage: boto3_flow.py --api http://127.0.0.1:8090 --s3 http://127.0.0.1:8091 --samples opt-ml-sample [--mnist DIR]
Exits non-zero (with the failed check) when any step does not behave as SageMaker does.
"""
import argparse
import gzip
import io
import json
import struct
import sys
import time

import boto3
from botocore.exceptions import ClientError, WaiterError

ROLE = "arn:aws:iam::000000000000:role/SageMakerRole"
XGB_IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"
LL_IMAGE = "382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner:1"
BUCKET = "sagebox-flow"


def check(cond, what):
    if not cond:
        print("FAILED: " + what, file=sys.stderr)
        sys.exit(1)
    print("ok: " + what)


def error_code(fn, **kw):
    try:
        fn(**kw)
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"].get("Message", "")
    return None, None


def mnist_csv(folder, images, labels, limit):
    """MNIST idx files as CSV rows: label, then 784 pixel values."""
    with gzip.open(f"{folder}/{labels}") as f:
        _, n = struct.unpack(">II", f.read(8))
        ys = f.read(n)
    with gzip.open(f"{folder}/{images}") as f:
        _, n, rows, cols = struct.unpack(">IIII", f.read(16))
        size = rows * cols
        out = io.StringIO()
        for i in range(min(n, limit)):
            px = f.read(size)
            out.write(str(ys[i]) + "," + ",".join(map(str, px)) + "\n")
    return out.getvalue().encode()


def training_job(sm, name, image, hyperparameters, prefix, max_runtime=3600):
    channels = []
    for ch in ("train", "validation"):
        channels.append({
            "ChannelName": ch,
            "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": f"s3://{BUCKET}/{prefix}/{ch}/",
                                            "S3DataDistributionType": "FullyReplicated"}},
            "ContentType": "text/csv",
            "CompressionType": "None",
        })
    return sm.create_training_job(
        TrainingJobName=name,
        AlgorithmSpecification={"TrainingImage": image, "TrainingInputMode": "File"},
        RoleArn=ROLE,
        HyperParameters=hyperparameters,
        InputDataConfig=channels,
        OutputDataConfig={"S3OutputPath": f"s3://{BUCKET}/{prefix}/output"},
        ResourceConfig={"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 5},
        StoppingCondition={"MaxRuntimeInSeconds": max_runtime},
    )


def wait_job(sm, name):
    """The SDK's waiter; it raises on Failed, as against SageMaker, so a failure is read from the description."""
    try:
        sm.get_waiter("training_job_completed_or_stopped").wait(
            TrainingJobName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 900})
    except WaiterError as e:
        if "Failed" not in str(e):
            raise
    return sm.describe_training_job(TrainingJobName=name)


def deploy(sm, name, model_data, image):
    sm.create_model(ModelName=name, ExecutionRoleArn=ROLE,
                    PrimaryContainer={"Image": image, "ModelDataUrl": model_data})
    sm.create_endpoint_config(EndpointConfigName=name, ProductionVariants=[{
        "VariantName": "AllTraffic", "ModelName": name, "InitialInstanceCount": 1,
        "InstanceType": "ml.m5.large", "InitialVariantWeight": 1.0}])
    t0 = time.time()
    sm.create_endpoint(EndpointName=name, EndpointConfigName=name)
    sm.get_waiter("endpoint_in_service").wait(EndpointName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 600})
    return time.time() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--api", required=True)
    ap.add_argument("--s3", required=True)
    ap.add_argument("--samples", required=True)
    ap.add_argument("--mnist", help="folder of the MNIST idx files: train the seed's multi-class XGBoost on them")
    ap.add_argument("--mnist-rows", type=int, default=60000)
    args = ap.parse_args()
    run = str(int(time.time()))
    kw = dict(region_name="us-east-1", aws_access_key_id="local", aws_secret_access_key="local")
    sm = boto3.client("sagemaker", endpoint_url=args.api, **kw)
    rt = boto3.client("sagemaker-runtime", endpoint_url=args.api, **kw)
    s3 = boto3.client("s3", endpoint_url=args.s3, **kw)

    try:
        s3.create_bucket(Bucket=BUCKET)
    except ClientError as e:
        if e.response["Error"]["Code"] not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
            raise
    if args.mnist:
        prefix = "mnist"
        s3.put_object(Bucket=BUCKET, Key=f"{prefix}/train/train.csv",
                      Body=mnist_csv(args.mnist, "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                                     args.mnist_rows))
        s3.put_object(Bucket=BUCKET, Key=f"{prefix}/validation/validation.csv",
                      Body=mnist_csv(args.mnist, "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", 10000))
        hp = {"max_depth": "5", "eta": "0.2", "gamma": "4", "min_child_weight": "6", "silent": "0",
              "objective": "multi:softmax", "num_class": "10", "num_round": "10"}
        metric = "validation:mlogloss"  # XGBoost's default metric for multi:softmax
    else:
        prefix = "breast-cancer"
        for ch in ("train", "validation"):
            s3.upload_file(f"{args.samples}/xgboost/input/data/{ch}/breast_cancer.csv", BUCKET,
                           f"{prefix}/{ch}/breast_cancer.csv")
        hp = json.load(open(f"{args.samples}/xgboost/input/config/hyperparameters.json"))
        metric = "validation:auc"

    # --- XGBoost: train, describe
    job = f"xgb-{run}"
    t0 = time.time()
    arn = training_job(sm, job, XGB_IMAGE, hp, prefix)["TrainingJobArn"]
    check(arn.endswith(f":training-job/{job}"), "create_training_job answers the job's ARN")
    d = wait_job(sm, job)
    train_seconds = time.time() - t0
    print(f"timing: create_training_job -> Completed {train_seconds:.1f} s ({prefix})")
    check(d["TrainingJobStatus"] == "Completed", f"XGBoost job Completed ({d.get('FailureReason')})")
    names = [t["Status"] for t in d["SecondaryStatusTransitions"]]
    check(names == ["Starting", "Downloading", "Training", "Uploading", "Completed"],
          f"secondary status transitions {names}")
    metrics = {m["MetricName"]: m["Value"] for m in d["FinalMetricDataList"]}
    check(metric in metrics, f"FinalMetricDataList has {metric}: {metrics}")
    model_data = d["ModelArtifacts"]["S3ModelArtifacts"]
    check(model_data == f"s3://{BUCKET}/{prefix}/output/{job}/output/model.tar.gz", "ModelArtifacts: " + model_data)
    s3.head_object(Bucket=BUCKET, Key=model_data.split("/", 3)[3])
    check(d["CreationTime"].tzinfo is not None, "timestamps parse as datetimes")
    logs = boto3.client("logs", endpoint_url=args.api, **kw)
    streams = logs.describe_log_streams(logGroupName="/aws/sagemaker/TrainingJobs",
                                        logStreamNamePrefix=job)["logStreams"]
    check(len(streams) == 1 and streams[0]["logStreamName"].startswith(job + "/algo-1-"), "the job's log stream")
    events = logs.get_log_events(logGroupName="/aws/sagemaker/TrainingJobs",
                                 logStreamName=streams[0]["logStreamName"], startFromHead=True)["events"]
    check(any("train-" in e["message"] for e in events), f"GetLogEvents has the metric lines ({len(events)} events)")
    found = logs.filter_log_events(logGroupName="/aws/sagemaker/TrainingJobs", logStreamNamePrefix=job,
                                   filterPattern="training finished")["events"]
    check(len(found) == 1, "FilterLogEvents finds the last line")
    listed = sm.list_training_jobs(NameContains=job)["TrainingJobSummaries"]
    check([j["TrainingJobName"] for j in listed] == [job], "list_training_jobs finds it")

    # --- deploy and invoke
    in_service = deploy(sm, job, model_data, XGB_IMAGE)
    print(f"timing: create_endpoint -> InService {in_service:.1f} s ({prefix})")
    check(sm.describe_endpoint(EndpointName=job)["EndpointStatus"] == "InService", "endpoint InService")
    if args.mnist:
        row = mnist_csv(args.mnist, "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", 1).decode()
        label, features = row.split(",", 1)
    else:
        lines = open(f"{args.samples}/xgboost/input/data/validation/breast_cancer.csv").read().splitlines()
        label, features = lines[0].split(",", 1)
    r = rt.invoke_endpoint(EndpointName=job, ContentType="text/csv", Body=features, CustomAttributes="trace=1")
    # The seed's Lambda-style handler: the answer is a CSV number.
    prediction = float(r["Body"].read().decode().strip().split(",")[0].split("\n")[0])
    check(r["ContentType"].startswith("text/csv"), "invoke_endpoint answers text/csv")
    check(r["InvokedProductionVariant"] == "AllTraffic", "InvokedProductionVariant")
    if args.mnist:
        check(0 <= prediction <= 9, f"MNIST prediction {prediction} for label {label}")
    else:
        check(round(prediction) == int(float(label)), f"prediction {prediction} for label {label}")

    # model error: a malformed row comes back as ModelError with the container's status
    try:
        rt.invoke_endpoint(EndpointName=job, ContentType="text/csv", Body="1,2,not-a-number")
        check(False, "a bad row raises ModelError")
    except ClientError as e:
        err = e.response["Error"]
        check(err["Code"] == "ModelError", f"bad row -> ModelError ({err})")
        check(e.response.get("OriginalStatusCode") in (400, 415), "OriginalStatusCode " + str(e.response.get(
            "OriginalStatusCode")))

    # --- a transform job over the validation rows without their labels: one answer line per row
    if not args.mnist:
        rows = [line.split(",", 1)[1] for line in lines]
        s3.put_object(Bucket=BUCKET, Key=f"{prefix}/batch/rows.csv", Body=("\n".join(rows) + "\n").encode())
        tj = f"batch-{run}"
        sm.create_transform_job(
            TransformJobName=tj, ModelName=job, BatchStrategy="MultiRecord", MaxPayloadInMB=1,
            TransformInput={"DataSource": {"S3DataSource": {"S3DataType": "S3Prefix",
                                                             "S3Uri": f"s3://{BUCKET}/{prefix}/batch/"}},
                            "ContentType": "text/csv", "SplitType": "Line"},
            TransformOutput={"S3OutputPath": f"s3://{BUCKET}/{prefix}/batch-out", "AssembleWith": "Line",
                             "Accept": "text/csv"},
            TransformResources={"InstanceType": "ml.m5.large", "InstanceCount": 1})
        sm.get_waiter("transform_job_completed_or_stopped").wait(
            TransformJobName=tj, WaiterConfig={"Delay": 1, "MaxAttempts": 600})
        td = sm.describe_transform_job(TransformJobName=tj)
        check(td["TransformJobStatus"] == "Completed", f"transform job Completed ({td.get('FailureReason')})")
        out = s3.get_object(Bucket=BUCKET, Key=f"{prefix}/batch-out/rows.csv.out")["Body"].read().decode()
        answers = out.strip().split("\n")
        check(len(answers) == len(rows), f"transform output has one line per row ({len(answers)}/{len(rows)})")
        agree = sum(round(float(a)) == int(float(l.split(",")[0])) for a, l in zip(answers, lines))
        check(agree / len(rows) > 0.9, f"batch predictions agree with the labels ({agree}/{len(rows)})")

    # --- linear learner: the client reads predictions[0]['score']
    if not args.mnist:
        ll = f"ll-{run}"
        training_job(sm, ll, LL_IMAGE, json.load(open(f"{args.samples}/linear-learner/input/config/"
                                                         "hyperparameters.json")), prefix)
        d = wait_job(sm, ll)
        check(d["TrainingJobStatus"] == "Completed", f"linear-learner job Completed ({d.get('FailureReason')})")
        deploy(sm, ll, d["ModelArtifacts"]["S3ModelArtifacts"], LL_IMAGE)
        r = rt.invoke_endpoint(EndpointName=ll, ContentType="text/csv", Accept="application/json", Body=features)
        result = json.loads(r["Body"].read())
        score = result["predictions"][0]["score"]
        check(0.0 <= score <= 1.0, f"predictions[0]['score'] = {score}")
        sm.delete_endpoint(EndpointName=ll)

    # --- error paths, as SageMaker answers them
    code, _ = error_code(sm.describe_training_job, TrainingJobName=f"no-such-job-{run}")
    check(code == "ValidationException", f"unknown job -> ValidationException ({code})")
    code, _ = error_code(training_job, sm=sm, name=job, image=XGB_IMAGE, hyperparameters=hp, prefix=prefix)
    check(code == "ResourceInUse", f"duplicate job name -> ResourceInUse ({code})")
    code, msg = error_code(sm.describe_training_job, TrainingJobName="../etc")
    check(code == "ValidationException" and "pattern" in msg, "a name with '../' is refused by the name pattern")
    code, _ = error_code(rt.invoke_endpoint, EndpointName=f"no-such-endpoint-{run}", ContentType="text/csv",
                         Body="1")
    check(code == "ValidationError", f"unknown endpoint -> ValidationError ({code})")
    bad = f"bad-hp-{run}"
    training_job(sm, bad, XGB_IMAGE, dict(hp, max_depth="-3"), prefix)
    d = wait_job(sm, bad)
    check(d["TrainingJobStatus"] == "Failed" and "max_depth" in d["FailureReason"],
          f"bad hyperparameter -> Failed: {d.get('FailureReason')}")

    sm.delete_endpoint(EndpointName=job)
    code, _ = error_code(sm.describe_endpoint, EndpointName=job)
    check(code == "ValidationException", "deleted endpoint is gone")
    print(f"timing: create_training_job -> Completed {train_seconds:.1f} s; create_endpoint -> InService "
          f"{in_service:.1f} s ({prefix})")


if __name__ == "__main__":
    main()
