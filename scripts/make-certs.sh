#!/usr/bin/env bash
# Makes the certificates the platform's feed needs, once, with openssl:
#   DIR/ca.crt, ca.key                 a private certificate authority
#   DIR/noitd.crt, noitd.key           noitd's feed listener (CN and SAN localhost, 127.0.0.1)
#   DIR/stratcond.crt, stratcond.key   stratcond's client certificate (CN stratcond-local,
#                                      the subscriber name noitd's config allows)
# Existing files are kept, so running it again changes nothing.
#   scripts/make-certs.sh DIR
set -euo pipefail
dir=${1:?usage: $0 DIR}
mkdir -p "$dir"
cd "$dir"
command -v openssl >/dev/null || { echo "make-certs: openssl is missing (scripts/setup.sh installs it)" >&2; exit 1; }
umask 077

if [[ ! -f ca.crt ]]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
        -subj "/CN=Reconnoiter Swift local CA" -keyout ca.key -out ca.crt 2>/dev/null
    echo "make-certs: made a private CA in $dir" >&2
fi

issue() {
    local name=$1 cn=$2 usage=$3 san=$4
    [[ -f $name.crt ]] && return
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$cn" \
        -keyout "$name.key" -out "$name.csr" 2>/dev/null
    printf 'basicConstraints=critical,CA:FALSE\nextendedKeyUsage=%s\n%s' "$usage" "$san" > "$name.ext"
    openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 825 \
        -extfile "$name.ext" -out "$name.crt" 2>/dev/null
    rm -f "$name.csr" "$name.ext"
    echo "make-certs: issued $name.crt (CN $cn)" >&2
}
issue noitd localhost serverAuth "subjectAltName=DNS:localhost,IP:127.0.0.1"
issue stratcond stratcond-local clientAuth ""
chmod 0644 ca.crt noitd.crt stratcond.crt
