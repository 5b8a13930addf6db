# Shared by run.sh and gen-ref-hashes.sh: where Debian keeps the examples,
# and the arguments some of them need.
EXAMPLES=/usr/share/systemtap/examples
DOC_EXAMPLES=/usr/share/doc/systemtap/examples
TAPSET=/usr/share/systemtap/tapset
REL=${STAP_TEST_RELEASE:-6.1.0-56-amd64}
# Scripts that are templates, not scripts: SystemTap 4.8 rejects them too.
EXPECTED_FAIL="security-band-aids/security-bandaid-template.stp"

# example_list: "ROOT RELPATH" lines for every example script
example_list() {
	(cd "$EXAMPLES" && find . -name '*.stp' | sed 's|^\./||' | sort | sed "s|^|$EXAMPLES |")
	(cd "$DOC_EXAMPLES" && find . -name '*.stp' | sed 's|^\./||' | sort | sed "s|^|$DOC_EXAMPLES |")
}

# where this file is (exported: example_args also runs in child shells)
CONF_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export CONF_DIR

# example_args RELPATH: the script arguments (shell words) or nothing
example_args() {
	awk -v p="$1" '$1 == p { $1 = ""; sub(/^ /, ""); print; exit }' "$CONF_DIR/example-args.txt"
}
