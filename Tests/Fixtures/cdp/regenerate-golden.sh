#!/usr/bin/env bash
# The LLDP, CDP and STP fixtures and golden files are made by one script: see ../lldp/regenerate-golden.sh.
exec "$(dirname "$0")/../lldp/regenerate-golden.sh" "$@"
