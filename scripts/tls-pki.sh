#!/usr/bin/env bash
# A throw-away PKI for the TLS tests, made with the openssl command:
#   bash scripts/tls-pki.sh DIR
# DIR/ca.pem            test CA (trusted by the tests via cafile)
# DIR/server.pem/.key   localhost + 127.0.0.1, valid
# DIR/expired.pem       same key, expired in 2021
# DIR/future.pem        same key, valid only from 2099
# DIR/wronghost.pem     same key, for wrong.example.invalid only
# DIR/untrusted.pem     same key, signed by a CA nobody trusts (rogue-ca.pem)
# DIR/selfsigned.pem    same key, self-signed leaf (CA:FALSE)
# DIR/client.pem/.key   client certificate signed by the test CA
# DIR/rogue-client.pem/.key  client certificate signed by the rogue CA
# DIR/client-combined.pem    client.pem followed by client.key (local_cert only)
# DIR/client-encrypted.key   client.key encrypted with passphrase "secret"
set -euo pipefail
dir="$1"
mkdir -p "$dir"
cd "$dir"

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
csr() { openssl req -new -key "$1" -subj "/CN=$2" -out "$3" 2>/dev/null; }

mkca() { # name cn
    key "$1.key"
    openssl req -x509 -new -key "$1.key" -subj "/CN=$2" -days 3650 -out "$1.pem" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

sign() { # ca csr out days ext...
    local ca="$1" in="$2" out="$3" days="$4"
    shift 4
    printf '%s\n' "$@" > "$out.ext"
    openssl x509 -req -in "$in" -CA "$ca.pem" -CAkey "$ca.key" -CAcreateserial -days "$days" \
        -extfile "$out.ext" -out "$out" 2>/dev/null
    rm -f "$out.ext"
}

SERVER_EXT=("basicConstraints=CA:FALSE" "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost,IP:127.0.0.1")
CLIENT_EXT=("basicConstraints=CA:FALSE" "extendedKeyUsage=clientAuth")

mkca ca "gearman-rs test CA"
mkca rogue-ca "gearman-rs rogue CA"

key server.key
csr server.key localhost server.csr
sign ca server.csr server.pem 30 "${SERVER_EXT[@]}"
sign ca server.csr wronghost.pem 30 "basicConstraints=CA:FALSE" "extendedKeyUsage=serverAuth" \
    "subjectAltName=DNS:wrong.example.invalid"
sign rogue-ca server.csr untrusted.pem 30 "${SERVER_EXT[@]}"
openssl x509 -req -in server.csr -key server.key -days 30 -out selfsigned.pem \
    -extfile <(printf '%s\n' "${SERVER_EXT[@]}") 2>/dev/null

# Expired and not yet valid: `openssl ca` sets both dates (newer `openssl x509` refuses a
# negative -days, older ones lack -not_before/-not_after).
mkdir -p ca.db/new
: > ca.db/index.txt
echo 1000 > ca.db/serial
cat > ca.db/ca.cnf <<EOF
[ca]
default_ca = test
[test]
database = $PWD/ca.db/index.txt
new_certs_dir = $PWD/ca.db/new
serial = $PWD/ca.db/serial
default_md = sha256
policy = any
unique_subject = no
[any]
commonName = supplied
[ext]
basicConstraints = CA:FALSE
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1
EOF
dated() { # out start end
    openssl ca -batch -config ca.db/ca.cnf -cert ca.pem -keyfile ca.key -in server.csr -out "$1" \
        -startdate "$2" -enddate "$3" -extensions ext -notext 2>/dev/null
}
dated expired.pem 20200101000000Z 20210101000000Z
dated future.pem 20990101000000Z 20991231000000Z

key client.key
csr client.key gearman-client client.csr
sign ca client.csr client.pem 30 "${CLIENT_EXT[@]}"
cat client.pem client.key > client-combined.pem
openssl pkey -in client.key -aes256 -passout pass:secret -out client-encrypted.key 2>/dev/null

key rogue-client.key
csr rogue-client.key rogue-client rogue-client.csr
sign rogue-ca rogue-client.csr rogue-client.pem 30 "${CLIENT_EXT[@]}"

rm -f ./*.csr ./*.srl
