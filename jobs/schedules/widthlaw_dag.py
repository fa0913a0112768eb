"""Airflow DAG: a nightly widthlaw sweep on a Spark cluster through SparkSubmitOperator.

The application jar is driver/target/widthlaw-driver-*-app.jar (mvn -B package); the job file and
the output URI (hdfs:, s3a: or file:) are the CLI's own arguments. widthlaw resumes: a retried
task trains only the probes that are not yet recorded, so retries are safe. Exit code 2 (a bad
job file) is not worth retrying; Airflow retries any failure, so keep retries small.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

WIDTHLAW_HOME = "/opt/widthlaw"

with DAG(
    dag_id="widthlaw_depth_law",
    schedule="30 1 * * *",
    start_date=datetime(2026, 11, 1),
    catchup=False,
    max_active_runs=1,  # one run per output at a time; widthlaw would refuse a second one anyway
    default_args={"retries": 2, "retry_delay": timedelta(minutes=10)},
    tags=["widthlaw"],
) as dag:
    SparkSubmitOperator(
        task_id="sweep",
        conn_id="spark_default",
        application=f"{WIDTHLAW_HOME}/driver/target/widthlaw-driver-0.1.0-SNAPSHOT-app.jar",
        java_class="org.widthlaw.driver.Main",
        application_args=[
            "run", f"{WIDTHLAW_HOME}/jobs/depth-law.yaml",
            "--out", "hdfs:///widthlaw/depth-law",
        ],
        conf={
            "spark.executorEnv.OPENBLAS_NUM_THREADS": "1",
            "spark.widthlaw.blas.threads": "1",
        },
        name="widthlaw-depth-law",
    )
