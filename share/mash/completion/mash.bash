# bash completion for mash and the mash-* programs
#
# The options of each program, and which of them take a value, are read
# from its own -h, so they cannot drift from it.  The codes of SPEC 7 are
# listed here (a test holds them to the library's); agencies, criteria,
# logins, settings, holidays, cases and requests come from the store,
# through the programs themselves and with their -d, quietly: a missing
# store or an unregistered user completes nothing from it.

_mash_sources='family acquaintance self individual school education gp
	health-visitor school-nurse health a-and-e health-other housing
	social-care la-internal other-la early-help police legal other
	anonymous unknown'
_mash_outcomes='cpat early-help caf single-agency nfa'
_mash_rags='red amber green'
_mash_categories='neglect physical emotional sexual domestic-abuse cse cce
	missing mental-health substance-misuse fgm radicalisation other'
_mash_consents='given refused not-sought unknown'
_mash_genders='male female other unknown'
_mash_roles='admin screener head social-worker agency auditor'
_mash_states='new screened mash recorded closed'
_mash_kinds='screening request decision'
_mash_formats='json csv table'
# those of a new store, when the store cannot say
_mash_agencies='csc police health education probation housing yos'
_mash_criteria='significant-harm complex-needs additional-needs
	repeat-referral open-case domestic-abuse exploitation missing unborn'
# mash-admin's commands, and the words that follow each
_mash_admin='init user config holiday criteria agency check backup hold
	unhold purge'
_mash_admin_user='add set list disable enable'
_mash_admin_holiday='add rm list'
_mash_admin_criteria='add list'
_mash_admin_agency='add list'
# a user a case may be assigned to: a social worker or the Head, enabled
_mash_assignable='^{"login":"\([^"]*\)",.*"roles":"\([^",]*,\)*'
_mash_assignable+='\(head\|social-worker\)[,"].*"enabled":true'
# mash-audit's commands
_mash_audit='verify anchor'

declare -gA _mash_opts _mash_argopts

# _mash_learn PROG: read the options of PROG -h, once: each option, and
# those followed by a value ("--rag rag", not "--list [--state ..."), of
# the usage, which ends at the blank line before each option's help
_mash_learn()
{
	local line w i o opts=' -d --db -o --format --raw -h --help --version '
	local args=' -d --db -o --format ' found=

	while read -r line && [[ -n $line ]]; do
		found=1
		read -r -a w <<<"$line"
		for ((i = 0; i < ${#w[@]}; i++)); do
			o=${w[i]#[}
			[[ $o == -* ]] || continue
			o=${o%%[]|]*}
			[[ $o =~ ^--?[a-z][a-z0-9-]*$ ]] || continue
			[[ $opts == *" $o "* ]] || opts+="$o "
			[[ ${w[i]} != *]* && ${w[i + 1]-} == [a-z]* ]] &&
			    args+="$o "
		done
	done < <(command "$1" -h 2>/dev/null)
	_mash_argopts[$1]=$args
	# a program not found is asked again next time
	[[ -z $found ]] || _mash_opts[$1]=$opts
}

# _mash_json PATTERN PROG ARGS...: a value from each line PROG prints
# with -o json, by a sed pattern whose first group is the value
_mash_json()
{
	local re=$1

	shift
	"$@" "${_mash_db[@]}" -o json 2>/dev/null </dev/null |
	    sed -n "s/$re.*/\\1/p"
}

# the first key's value, of a list of objects
_mash_first()
{
	_mash_json '^{"[a-z_]*":"\{0,1\}\([^",}]*\)' "$@"
}

_mash_agency_list()
{
	local a

	a=$(_mash_first mash-admin agency list)
	echo "${a:-$_mash_agencies}"
}

# _mash_cases PROG: the cases PROG acts on, as far as the user may see
_mash_cases()
{
	local c

	case $1 in
	# the decision queue alone: a case of a request is not decidable
	mash-decide) _mash_first mash-decide; return ;;
	mash-request) c=$(_mash_first mash-record --list --state mash) ;;
	*) c=$(_mash_first mash-record --list) ;;
	esac
	# an agency officer sees the cases of their requests
	[[ -n $c ]] || c=$(_mash_json '^{"id":[0-9]*,"case_id":\([0-9]*\)' \
	    mash-request | sort -nu)
	echo "$c"
}

# _mash_list WORDS: a comma-separated list, after the members typed,
# which are not offered again
_mash_list()
{
	local pre= w left=

	[[ $cur == *,* ]] && pre=${cur%,*},
	for w in $1; do
		[[ ,$pre == *",$w,"* ]] || left+="$w "
	done
	compgen -P "$pre" -W "$left"
}


# _mash_value OPTION: the values an option takes, in reply
_mash_value()
{
	local c

	case $1 in
	-d|--db|--csv|--map|--reject|--plot) files=1 ;;
	--by) reply='month week' ;;
	-o|--format) reply=$_mash_formats ;;
	--source) reply=$_mash_sources ;;
	--outcome|--recommend) reply=$_mash_outcomes ;;
	--rag) reply=$_mash_rags ;;
	--consent) reply=$_mash_consents ;;
	--gender) reply=$_mash_genders ;;
	--state) reply=$_mash_states ;;
	--kind) reply=$_mash_kinds ;;
	--agency) reply=$(_mash_agency_list) ;;
	--role) reply=$(_mash_list "$_mash_roles") ;;
	--category) reply=$(_mash_list "$_mash_categories") ;;
	--criteria)
		c=$(_mash_first mash-admin criteria list)
		reply=$(_mash_list "${c:-$_mash_criteria}") ;;
	--assign) reply=$(_mash_json "$_mash_assignable" mash-admin user list) ;;
	--assigned|--user)
		reply=$(_mash_json '^{"login":"\([^"]*\)".*"enabled":true' \
		    mash-admin user list) ;;
	--respond|--withdraw) reply=$(_mash_first mash-request) ;;
	--case) reply=$(_mash_cases mash-record) ;;
	esac
}

# _mash_admin_args WORD... x: what follows mash-admin's command words
_mash_admin_args()
{
	local v=_mash_admin_$1

	case $#:$1:${2-} in
	1:*) reply=$_mash_admin ;;
	2:user:*|2:holiday:*|2:criteria:*|2:agency:*) reply=${!v} ;;
	2:config:*) reply=$(_mash_first mash-admin config) ;;
	2:backup:*) files=1 ;;
	2:hold:*|2:unhold:*) reply=$(_mash_cases mash-record) ;;
	3:user:disable|3:user:enable|3:user:set)
		reply=$(_mash_first mash-admin user list) ;;
	3:holiday:rm) reply=$(_mash_first mash-admin holiday list) ;;
	esac
}

# _mash_complete PROG CWORD WORD...: the candidates for word CWORD, in
# reply (or files set); cur is the word, less an '=' bash split off
_mash_complete()
{
	local prog=$1 cword=$2 i n w v opt= pos=()
	local -a words=("${@:3}") _mash_db=()

	cur=${words[cword]-}
	[[ -n ${_mash_opts[$prog]-} ]] || _mash_learn "$prog"
	[[ -n ${_mash_opts[$prog]-} ]] || return 0
	for ((i = 1; i < cword; i++)); do
		w=${words[i]}
		# "--rag=red" is three words to bash: --rag, =, red
		[[ ${words[i + 1]-} == = ]] && n=2 || n=1
		if [[ $w == -?* && ( $n == 2 ||
		    ${_mash_argopts[$prog]} == *" $w "* ) ]]; then
			((i + n >= cword)) && opt=$w
			v=${words[i + n]-}
			case $w in
			-d|--db) _mash_db=(-d "${v/#\~/$HOME}") ;;
			esac
			((i += n))
		elif [[ $w == -d?* ]]; then
			_mash_db=(-d "${w#-d}")
		elif [[ $w != -?* ]]; then
			pos+=("$w")
		fi
	done
	[[ $cur == = ]] && cur=
	if [[ -n $opt ]]; then
		_mash_value "$opt"
	elif [[ $cur == -* ]]; then
		reply=${_mash_opts[$prog]}
	else
		case $prog in
		mash-admin) _mash_admin_args "${pos[@]}" x ;;
		mash-screen|mash-record|mash-decide)
			reply=$(_mash_cases "$prog") ;;
		mash-request)
			if ((${#pos[@]} == 0)); then
				reply=$(_mash_cases "$prog")
			else
				reply=$(_mash_agency_list)
			fi ;;
		mash-audit)
			((${#pos[@]} == 0)) && reply=$_mash_audit ;;
		*) reply=${_mash_opts[$prog]-} ;;
		esac
	fi
}

# _mash_verbs: what mash runs, as its help lists them
_mash_verbs()
{
	echo help
	command mash help 2>/dev/null |
	    sed -n 's/^   \([a-z][a-z0-9-]*\) .*/\1/p'
}

# _mash_topics: what mash help shows, as it lists them: the verbs, and
# the other manuals
_mash_topics()
{
	command mash help 2>/dev/null | sed -n \
	    -e 's/^   \([a-z][a-z0-9-]*\) .*/\1/p' \
	    -e 's/^  mash help \([a-z][a-z0-9-]*\) .*/\1/p'
}

_mash()
{
	local cur prog=${COMP_WORDS[0]##*/} cword=$COMP_CWORD reply= files=
	local -a words=("${COMP_WORDS[@]}")
	local IFS=$' \t\n'

	if [[ $prog == mash ]] && ((cword == 1)); then
		reply=$(_mash_verbs) cur=${words[1]}
	elif [[ $prog == mash && ${words[1]} == help ]]; then
		((cword == 2)) && reply=$(_mash_topics)
		cur=${words[cword]}
	else
		if [[ $prog == mash ]]; then
			prog=mash-${words[1]}
			words=("$prog" "${words[@]:2}")
			((cword--))
		fi
		_mash_complete "$prog" "$cword" "${words[@]}"
	fi
	IFS=$'\n'
	if [[ -n $files ]]; then
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
	else
		COMPREPLY=($(compgen -W "$(tr ' \t' '\n\n' <<<"$reply")" -- \
		    "$cur"))
	fi
	return 0
}

complete -F _mash mash mash-admin mash-refer mash-screen mash-request \
    mash-record mash-decide mash-overdue mash-audit mash-report mash-return
