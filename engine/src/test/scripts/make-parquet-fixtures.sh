#!/bin/sh
# Rewrites the Parquet fixtures in engine/src/test/resources/parquet/ with DuckDB's Parquet writer (see
# MakeParquetFixtures.java). Needs a JDK 17+ and Maven (to fetch the DuckDB JDBC jar, about 80 MB, once); set
# MAVEN_REPO when the local repository is not ~/.m2/repository.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$(cd "$here/../resources/parquet" && pwd)
version=2.0.0.1
mvn -B -q dependency:get -Dartifact="org.duckdb:duckdb_jdbc:$version"
repo=${MAVEN_REPO:-$HOME/.m2/repository}
java -cp "$repo/org/duckdb/duckdb_jdbc/$version/duckdb_jdbc-$version.jar" "$here/MakeParquetFixtures.java" "$out"
ls -l "$out"
