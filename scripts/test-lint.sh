#!/usr/bin/env bash
# The lint suite of `npm test`: the same checks as `npm run lint`.
exec bash "$(dirname "$0")/lint.sh"
