# Shared by standalone-start, standalone-stop and submit. Sourced, not run.
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
export SPARK_HOME="${WIDTHLAW_SPARK_HOME:-$root/cluster-conf/.spark-home}"
export SPARK_SCALA_VERSION=2.13          # else workers cannot launch executors
export SPARK_LOCAL_IP=127.0.0.1          # bind everything, web UIs included, to loopback
export SPARK_MASTER_URL="spark://127.0.0.1:${WIDTHLAW_MASTER_PORT:-7077}"
flags=$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' "$root/pom.xml")
props="$SPARK_HOME/conf/widthlaw-cluster.properties"   # holds the secret: mode 600, never printed
cp_spark="$SPARK_HOME/conf:$SPARK_HOME/jars/*"
