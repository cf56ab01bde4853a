#!/bin/sh
# Regenerates the p0f goldens: p0f 3.09b (Debian package `p0f`, its stock /etc/p0f/p0f.fp) on each
# fixture. Run from this folder; read the diff before committing it.
set -e
cd "$(dirname "$0")"
for capture in *.pcap; do
    p0f -r "$capture" -f /etc/p0f/p0f.fp > "${capture%.pcap}.p0f.txt" 2>&1
done
