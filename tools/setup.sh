#!/usr/bin/env bash
# Installs what dconv needs to build and test, from Debian's packages only.
# Idempotent: packages already present are not touched; apt-get runs only when
# something is missing. Needs root (or sudo) on Debian 12.
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config
  # libraries
  libcmark-gfm-dev libcmark-gfm-extensions-dev libcli11-dev libicu-dev nlohmann-json3-dev libtinyxml2-dev libzip-dev libgumbo-dev
  # images: stb_image probes, stb_image_write encodes PNG; libwebp and giflib decode
  libstb-dev libwebp-dev libgif-dev
  # URL inputs: libcurl with OpenSSL (HTTP/2, gzip, brotli), ca-certificates to verify TLS
  # (openssl: fetch_test makes a self-signed certificate with it)
  libcurl4-openssl-dev ca-certificates openssl
  # PDF: libharu draws, HarfBuzz subsets fonts, libhyphen hyphenates, libdeflate
  # compresses; the
  # fonts are TrueType outlines that libharu 2.3 embeds correctly
  libhpdf-dev libharfbuzz-dev libhyphen-dev libdeflate-dev fonts-liberation2 fonts-arphic-uming
  # fallback fonts per script (all TrueType outlines): Noto for Arabic, Hebrew, Indic,
  # Thai and others and Noto Sans Symbols; IPAex and IPA for Japanese forms; Nanum for
  # Korean; DejaVu for symbols
  fonts-noto-core fonts-ipaexfont-mincho fonts-ipaexfont-gothic fonts-ipafont-mincho fonts-ipafont-gothic
  fonts-nanum fonts-dejavu-core
  # hyphenation patterns: English and the commonest other languages the fonts cover
  # (not hyphen-de: libhyphen takes 1.4 s to load its 1 MB of patterns, per process)
  hyphen-en-us hyphen-en-gb hyphen-fr hyphen-es hyphen-it hyphen-pt-pt hyphen-pt-br
  hyphen-nl hyphen-pl hyphen-ru hyphen-sv
  # tests (epubcheck brings a Java runtime; the tests run it as
  # java -jar /usr/share/java/epubcheck.jar; python3-distributed is Dask for
  # examples/dask and its test, run with Debian's /usr/bin/python3)
  catch2 python3 epubcheck qpdf poppler-utils python3-distributed clang libclang-rt-14-dev
  # the manual page is checked with groff (tests/install_test.sh)
  groff-base
  # retraining the page model (tools/train/train_page_model.py, Debian's /usr/bin/python3;
  # dconv itself evaluates the compiled-in trees and needs neither)
  python3-xgboost python3-numpy
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
