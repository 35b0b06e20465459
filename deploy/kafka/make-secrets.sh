#!/usr/bin/env bash
# Make what deploy/kafka/docker-compose.secure.yml needs: a private CA, the broker's TLS keystore, and a
# random SASL/PLAIN password for each Kafka user (admin, topics, ingestor, extractor, alerter).
#
#   deploy/kafka/make-secrets.sh [DIR]        # DIR defaults to deploy/kafka/secrets (git ignores it)
#   cat deploy/kafka/secrets/kafka.env >> .env
#
# KAFKA_ADVERTISED_HOST (the name clients on other machines use for Kafka) is added to the certificate.
# Layout of DIR:
#   ca/ca.key        the CA's private key: never mounted; keep it offline after this
#   ca.pem           the CA certificate every client trusts (CLAIMWATCH_KAFKA_SSL_CAFILE)
#   broker/          mounted read-only into the kafka container as /etc/kafka/secrets
#   kafka.env        the services' passwords, for .env
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="${1:-$here/secrets}"
kafka_uid="${KAFKA_UID:-1000}"  # the apache/kafka image runs as appuser, uid 1000
mount="${KAFKA_SECRETS_MOUNT:-/etc/kafka/secrets}"
advertised="${KAFKA_ADVERTISED_HOST:-}"

if [[ -e "$dir/ca.pem" ]]; then
    echo "error: $dir already holds secrets; move it away to make new ones (then update .env)" >&2
    exit 1
fi
command -v openssl >/dev/null || { echo "error: openssl is needed (apt-get install openssl)" >&2; exit 1; }

umask 077
mkdir -p "$dir/ca" "$dir/broker"

password() { openssl rand -hex 24; }  # hex: safe inside JAAS quotes and .env alike

# The certificate names every address a client may use for the broker.
san="DNS:kafka,DNS:localhost,IP:127.0.0.1"
if [[ -n "$advertised" ]]; then
    if [[ "$advertised" =~ ^[0-9.]+$ ]]; then san="$san,IP:$advertised"; else san="$san,DNS:$advertised"; fi
fi

openssl req -x509 -new -nodes -newkey rsa:3072 -days 825 -subj "/CN=claimwatch Kafka CA" \
    -keyout "$dir/ca/ca.key" -out "$dir/ca.pem" 2>/dev/null
openssl req -new -nodes -newkey rsa:3072 -subj "/CN=kafka" \
    -keyout "$dir/ca/kafka.key" -out "$dir/ca/kafka.csr" 2>/dev/null
printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$san" > "$dir/ca/kafka.ext"
openssl x509 -req -in "$dir/ca/kafka.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca/ca.key" -CAcreateserial -CAserial "$dir/ca/ca.srl" \
    -days 825 -sha256 -extfile "$dir/ca/kafka.ext" -out "$dir/ca/kafka.pem" 2>/dev/null

store_password="$(password)"
openssl pkcs12 -export -name kafka -in "$dir/ca/kafka.pem" -inkey "$dir/ca/kafka.key" \
    -certfile "$dir/ca.pem" -passout "pass:$store_password" -out "$dir/broker/kafka.p12"
rm -f "$dir/ca/kafka.key" "$dir/ca/kafka.csr" "$dir/ca/kafka.ext"  # the keystore holds the key now
printf '%s' "$store_password" > "$dir/broker/keystore_creds"
printf '%s' "$store_password" > "$dir/broker/key_creds"  # PKCS12: the key has the store's password
cp "$dir/ca.pem" "$dir/broker/ca.pem"

declare -A pw
for user in admin topics ingestor extractor alerter; do pw[$user]="$(password)"; done

# The broker's users. PLAIN keeps these passwords in this file: it never leaves the broker's mount.
{
    echo "KafkaServer {"
    echo "    org.apache.kafka.common.security.plain.PlainLoginModule required"
    echo "    username=\"admin\""
    echo "    password=\"${pw[admin]}\""
    for user in admin topics ingestor extractor alerter; do
        echo "    user_$user=\"${pw[$user]}\""
    done
    echo "    ;"
    echo "};"
} > "$dir/broker/kafka_server_jaas.conf"

# For the admin tools inside the container: the healthcheck and acls.sh.
cat > "$dir/broker/admin.properties" <<EOF
security.protocol=SASL_SSL
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="${pw[admin]}";
ssl.truststore.type=PEM
ssl.truststore.location=$mount/ca.pem
EOF

cat > "$dir/kafka.env" <<EOF
# Kafka SASL passwords, one per service (deploy/kafka/docker-compose.secure.yml reads them)
KAFKA_TOPICS_PASSWORD=${pw[topics]}
KAFKA_INGESTOR_PASSWORD=${pw[ingestor]}
KAFKA_EXTRACTOR_PASSWORD=${pw[extractor]}
KAFKA_ALERTER_PASSWORD=${pw[alerter]}
EOF

chmod 0700 "$dir" "$dir/ca"
chmod 0644 "$dir/ca.pem" "$dir/broker/ca.pem"  # a certificate is public
chmod 0750 "$dir/broker"
chmod 0640 "$dir/broker/kafka.p12" "$dir/broker/keystore_creds" "$dir/broker/key_creds" \
    "$dir/broker/kafka_server_jaas.conf" "$dir/broker/admin.properties"
owner_note=""
if [[ "$(id -u)" -eq 0 ]]; then
    chown -R "$kafka_uid:$kafka_uid" "$dir/broker"  # the broker runs as this uid, not as root
elif [[ "$(id -u)" -ne "$kafka_uid" ]]; then
    owner_note="then let the broker (uid $kafka_uid) read its files: sudo chown -R $kafka_uid:$kafka_uid $dir/broker"
fi

echo "made $dir (certificate for $san)"
echo "next: cat $dir/kafka.env >> .env${owner_note:+; $owner_note}"
