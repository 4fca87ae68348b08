#!/bin/sh
# Sharing without consent: no requests on a case whose consent is not
# 'given' until the Head records a lawful basis; then they go
. "$(dirname "$0")/lib.sh"

plan 43

MASH_NOW=2026-11-26T10:00:00Z
export MASH_NOW
new_store >/dev/null 2>&1 || echo "Bail out! cannot make a store"

# --- consent refused ----------------------------------------------------------

case_in mash refused
c=$cid
snapshot "$T/before"
expect 77 "no request on a case whose consent was refused" \
    as sw mash-request -o json "$c" police
check "the message names the consent" has "consent is 'refused'" "$err"
check "and says what the Head must do" \
    has "mash-screen --share-without-consent" "$err"
expect 77 "not from the Head either" \
    as head mash-request -o json "$c" police health
expect 77 "nor with a deadline and a question" \
    as sw mash-request -o json "$c" health --due 4h --question 'Known?'
snapshot "$T/after"
check_same "no request and no audit row written" "$T/before" "$T/after"

expect 77 "the social worker cannot record the basis" \
    as sw mash-screen -o json "$c" --share-without-consent 'I think so'
check "the message names the role" has "needs the role 'head'" "$err"
expect 64 "an empty basis is no basis" \
    as head mash-screen -o json "$c" --share-without-consent ''
snapshot "$T/after"
check_same "still nothing written" "$T/before" "$T/after"

MASH_NOW=2026-11-26T10:20:00Z
expect 0 "the Head records the lawful basis" \
    as head mash-screen -o json "$c" \
    --share-without-consent 'Risk of significant harm outweighs refusal'
check "the case shows the basis" \
    [ "$(val .share_basis)" = 'Risk of significant harm outweighs refusal' ]
check "consent is still recorded as refused" [ "$(val .consent)" = refused ]
check "the state is unchanged" [ "$(val .state)" = mash ]
check "it is audited: who, when, the consent and the basis" \
    [ "$(sql "SELECT actor || ' ' || at || ' ' || details || ' ' || text
	FROM audit JOIN event_text ON audit_id = audit.id
	WHERE case_id = $c AND action = 'share-without-consent'")" = \
    'head 2026-11-26T10:20:00Z {"consent":"refused","fields":["basis"]} Risk of significant harm outweighs refusal' ]

expect 0 "now the social worker's requests go" \
    as sw mash-request -o json "$c" police health --question 'Known?'
check "two open requests" \
    [ "$(jq -s -c 'map(.agency + ":" + .state)' "$out")" = \
    '["police:open","health:open"]' ]
check "each keeps what was asked" \
    jqtrue -s 'all(.question == "Known?")' "$out"

# --- the other kinds of consent that are not 'given' --------------------------

for k in not-sought unknown; do
	case_in mash "$k"
	expect 77 "consent '$k': no request" \
	    as sw mash-request -o json "$cid" education
	check "consent '$k': the message names it" \
	    has "consent is '$k'" "$err"
	check "consent '$k': no request written" \
	    [ "$(sql "SELECT count(*) FROM requests WHERE case_id = $cid")" = 0 ]
	expect 0 "consent '$k': the Head records a basis" \
	    as head mash-screen -o json "$cid" --share-without-consent 'Urgent'
	expect 0 "consent '$k': then the request goes" \
	    as sw mash-request -o json "$cid" education
done

# --- given consent needs nothing ----------------------------------------------

case_in mash given
expect 0 "consent given: the request goes at once" \
    as sw mash-request -o json "$cid" police
check "no basis was needed or recorded" \
    [ "$(sql "SELECT count(*) FROM cases WHERE id = $cid AND
    share_basis IS NULL")" = 1 ]

# --- the basis with the acceptance ----------------------------------------------

case_in screened refused
expect 0 "the Head accepts and records the basis in one command" \
    as head mash-screen -o json "$cid" --accept --assign sw \
    --share-without-consent 'Police report of injury'
check "in the hub, with the basis" \
    [ "$(val '.state + "|" + .share_basis')" = "mash|Police report of injury" ]
check "both are audited, acceptance first" \
    [ "$(sql "SELECT group_concat(action) FROM (SELECT action FROM audit
	WHERE case_id = $cid ORDER BY id) AS s")" = \
    "refer,screen,accept,share-without-consent" ]
expect 0 "the request goes" as sw mash-request -o json "$cid" health

# refused acceptance: the basis is not kept either
case_in screened refused
before=$(case_rows "$cid")
expect 65 "accepting onto a non-social-worker fails" \
    as head mash-screen -o json "$cid" --accept --assign pc \
    --share-without-consent 'Police report of injury'
check "and the basis was not recorded alone" \
    [ "$(case_rows "$cid")" = "$before" ]

# a basis on a new case, before screening, carries through
case_in new refused
expect 0 "the Head records a basis on a new case" \
    as head mash-screen -o json "$cid" --share-without-consent 'Immediate risk'
check "still new" [ "$(val .state)" = new ]
expect 0 "accepted with --rag" \
    as head mash-screen -o json "$cid" --accept --assign sw --rag red
expect 0 "the request goes" as sw mash-request -o json "$cid" police

# --- closed is closed ---------------------------------------------------------

case_in closed refused
before=$(case_rows "$cid")
expect 65 "no basis on a closed case" \
    as head mash-screen -o json "$cid" --share-without-consent 'Late'
check "the message names 'closed'" has "case $cid is 'closed'" "$err"
check "unchanged" [ "$(case_rows "$cid")" = "$before" ]

done_testing
