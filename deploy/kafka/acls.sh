#!/usr/bin/env bash
# Grant each claimwatch service the Kafka rights it needs, and no more. With the broker's authorizer on and
# no ACL meaning "deny", only the alerter may write `alerts`: a forged alert needs the alerter's password.
#
#   acls.sh apply    run kafka-acls.sh (the kafka-acls service of docker-compose.secure.yml does this)
#   acls.sh print    print the kafka-acls.sh commands instead, to review them or run them elsewhere
#
# Settings (environment): KAFKA_BOOTSTRAP (kafka:19092), KAFKA_COMMAND_CONFIG (admin client properties,
# /etc/kafka/secrets/admin.properties), KAFKA_ACLS_TOOL (/opt/kafka/bin/kafka-acls.sh), and the app ids
# CLAIMWATCH_EXTRACTOR_APP_ID and CLAIMWATCH_ALERTER_APP_ID, which name the Faust groups and internal topics.
# Adding an ACL that exists changes nothing, so running it again is safe.
set -euo pipefail

mode="${1:-apply}"
if [[ "$mode" != apply && "$mode" != print ]]; then
    echo "usage: $0 [apply|print]" >&2
    exit 2
fi
bootstrap="${KAFKA_BOOTSTRAP:-kafka:19092}"
command_config="${KAFKA_COMMAND_CONFIG:-/etc/kafka/secrets/admin.properties}"
tool="${KAFKA_ACLS_TOOL:-/opt/kafka/bin/kafka-acls.sh}"
extractor="${CLAIMWATCH_EXTRACTOR_APP_ID:-claimwatch-extractor}"
alerter="${CLAIMWATCH_ALERTER_APP_ID:-claimwatch-alerter}"

# every topic of schemas/topics.py (tests/unit/test_compose.py checks that none is missing)
topics=(articles claims alerts alerts.retry alerter.endpoints articles.dlq claims.dlq alerts.dlq)

# grant USER OPTION...: one kafka-acls.sh call; OPTIONs name the operations and resources
grant() {
    local user="$1"
    shift
    local command=("$tool" --bootstrap-server "$bootstrap" --command-config "$command_config"
                   --add --allow-principal "User:$user" "$@")
    if [[ "$mode" == print ]]; then
        printf '%q ' "${command[@]}"
        printf '\n'
    else
        "${command[@]}" > /dev/null
        echo "granted User:$user: $*"
    fi
}

topic_flags=()
for topic in "${topics[@]}"; do topic_flags+=(--topic "$topic"); done

# topics (the one-shot `claimwatch topics` job): create the topics and the alerter's table changelogs
grant topics --operation Create --operation Describe "${topic_flags[@]}"
grant topics --operation Create --operation Describe --resource-pattern-type prefixed --topic "$alerter-"

# ingestor (ingest API, `claimwatch ingest` and replay): publish articles
grant ingestor --operation Write --operation Describe --topic articles

# extractor: read articles, write claims and dead letters; its group and Faust's internal topics
grant extractor --operation Read --operation Describe --topic articles
grant extractor --operation Read --group "$extractor"
grant extractor --operation Write --operation Describe --topic claims --topic claims.dlq --topic articles.dlq
grant extractor --operation Read --operation Write --operation Create --operation Describe \
    --operation DescribeConfigs --resource-pattern-type prefixed --topic "$extractor-"

# alerter (and `claimwatch redeliver`, which runs with its credentials): the only writer of alerts
grant alerter --operation Read --operation Describe --topic claims --topic alerts.dlq
grant alerter --operation Read --operation Write --operation Describe \
    --topic alerts --topic alerts.retry --topic alerter.endpoints
grant alerter --operation Write --operation Describe --topic alerts.dlq --topic claims.dlq
grant alerter --operation Read --resource-pattern-type prefixed --group "$alerter"  # its group, and -retry
grant alerter --operation Read --group claimwatch-redeliver
grant alerter --operation Read --operation Write --operation Create --operation Describe \
    --operation DescribeConfigs --resource-pattern-type prefixed --topic "$alerter-"

# sink, Prometheus and Grafana never talk to Kafka: no ACL, so no access
