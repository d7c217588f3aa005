#!/usr/bin/env bash
# A Docker engine that answers, and the images the tests and docker-compose.yml need, on any
# machine: an engine that already answers is used as it is; otherwise Debian's docker.io is
# installed and dockerd started in the background (and stopped again at the end). An image that
# is missing is pulled; one that cannot be pulled (a machine without a registry) is built as a
# local stand-in under the official name, from Debian's packages and this machine's .NET install
# (the recipes are in tools/standins/, see docs/deploy.md "Images on a machine without a
# registry").
#
# Sourced, by test.sh and run.sh-style scripts:
#
#   source tools/containers.sh
#   trap stop_docker_engine_if_started EXIT     # stops dockerd only if this shell started it
#   ensure_docker_engine
#   ensure_images redis:7.0 rabbitmq:3.10-management
#
# Alone:
#
#   tools/containers.sh check [IMAGE...]   the engine and the images (default: every stand-in in
#                                          tools/standins/images), with what each step took; an
#                                          engine it starts is left running
#   tools/containers.sh engine             only the engine
#   tools/containers.sh stop               stops the engine if tools/containers.sh started it
#
# Settings (environment): DOCKER_PULL_TIMEOUT (seconds for one pull, default 60; 0 never pulls),
# DOCKER_START_TIMEOUT (seconds dockerd has to answer, default 30), CHATPLATFORM_ENGINE_STATE
# (dockerd's log and pid and the build logs, default ${TMPDIR:-/tmp}/chatplatform-engine),
# CHATPLATFORM_STANDIN_CACHE (the cached root file system, default
# ${XDG_CACHE_HOME:-$HOME/.cache}/chatplatform/standins), CHATPLATFORM_DEBIAN_MIRROR (the Debian
# archive debootstrap reads; default: the one apt's own sources use for bookworm).

_containers_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
_containers_standins="$_containers_root/tools/standins"
_containers_suite=bookworm
# Part of the cache key of the root file system, with its package list: change it when the way
# the file system is made changes.
_containers_rootfs_recipe="debootstrap --variant=minbase $_containers_suite; apt lists and .deb files removed; gzip"
_containers_rootfs_image=chatplatform-standin/rootfs:$_containers_suite
_containers_base_image=chatplatform-standin/base:$_containers_suite
# Every stand-in carries these labels: what it was built from, and a key of its inputs (recipe,
# base, machine inputs), so that a stand-in whose inputs changed is rebuilt.
_containers_label=org.chatplatform.standin
_containers_key_label=org.chatplatform.standin.key

_containers_engine_started_pid="" # dockerd, when ensure_docker_engine started it in this shell
_containers_engine_ours=0         # 1 when the engine is one tools/containers.sh started
_containers_standin_in_use=0      # 1 when an image ensure_images returned is a stand-in
_containers_unreachable=" "       # registries a pull failed from, not tried again
_containers_timings=()
_containers_took=""
_containers_build_args=()
_containers_replaced=() # ids of images a rebuilt stand-in (or its base) replaced, oldest first

# --- output and timing --------------------------------------------------------------------------
_containers_say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
_containers_ok() { printf '  ok    %s\n' "$*"; }
_containers_note() { printf '  note  %s\n' "$*"; }
_containers_fail() { printf '  FAIL  %s\n' "$*" >&2; }

_containers_clock() {
  if [ -n "${EPOCHREALTIME:-}" ]; then
    printf '%s\n' "${EPOCHREALTIME/,/.}"
  else
    date +%s.%N
  fi
}

# Records how long a step took since START, in _containers_took and in the summary.
_containers_record() { # step, start
  _containers_took=$(awk -v a="$2" -v b="$(_containers_clock)" 'BEGIN { printf "%.1f s", b - a }')
  _containers_timings+=("$_containers_took|$1")
}

_containers_tail_log() { # file
  if [ -s "$1" ]; then
    echo "  last lines of $1:" >&2
    tail -n 20 "$1" | sed 's/^/    /' >&2
  fi
}

# --- helpers ------------------------------------------------------------------------------------
_containers_state_dir() { printf '%s\n' "${CHATPLATFORM_ENGINE_STATE:-${TMPDIR:-/tmp}/chatplatform-engine}"; }
_containers_cache_dir() { printf '%s\n' "${CHATPLATFORM_STANDIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/chatplatform/standins}"; }

_containers_as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  else
    sudo "$@"
  fi
}

_containers_install() { # Debian packages
  if ! declare -F install_debian_packages >/dev/null; then
    # shellcheck source=tools/install-servers.sh
    source "$_containers_root/tools/install-servers.sh"
  fi
  install_debian_packages "$@"
}

_containers_sha() { sha256sum | cut -c1-16; }

_containers_version_le() { # a, b: a <= b, as versions
  [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n 1)" = "$1" ]
}

# Whether PID is a running process (not a zombie) named dockerd.
_containers_is_dockerd() { # pid
  local pid=${1:-} state
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ] || return 1
  state=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)
  [ -n "$state" ] && [ "$state" != Z ]
}

_containers_alive() { # pid
  local pid=${1:-} state
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  state=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)
  [ -n "$state" ] && [ "$state" != Z ]
}

# --- the engine ---------------------------------------------------------------------------------
_containers_engine_answers() {
  command -v docker >/dev/null 2>&1 && timeout 15 docker info >/dev/null 2>&1
}

_containers_engine_description() {
  timeout 15 docker version --format 'Docker {{.Server.Version}} (API {{.Server.APIVersion}})' 2>/dev/null || echo "Docker"
}

# The dockerd a tools/containers.sh run started, if it is still running: prints its pid.
_containers_our_dockerd_pid() {
  local pid
  pid=$(cat "$(_containers_state_dir)/dockerd.pid" 2>/dev/null) || return 1
  _containers_is_dockerd "$pid" || return 1
  printf '%s\n' "$pid"
}

# The settings clients need for this engine, exported unless already set:
#   DOCKER_API_VERSION, the engine's API version, whenever the engine is not newer than the docker
#   client: clients newer than the engine (the docker CLI 28, Testcontainers' Docker client) then
#   speak its version. Read from `docker version`; 1.41 (Debian's engine 20.10) if it cannot be.
#   TESTCONTAINERS_RYUK_DISABLED=true and TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1, only when the
#   engine is one tools/containers.sh started (now or in an earlier run): machines that need that
#   have no registry (Ryuk's image cannot be pulled; tests dispose of their containers) and carry
#   the marker file Docker puts in containers (/.dockerenv), which would make Testcontainers look
#   for published ports on the bridge's gateway instead of 127.0.0.1, where dockerd publishes them.
#   (ensure_images also disables Ryuk whenever an image is a stand-in: no registry there either.)
_containers_export_engine_settings() {
  local server client exported=()
  if [ -z "${DOCKER_API_VERSION:-}" ]; then
    server=$(timeout 15 docker version --format '{{.Server.APIVersion}}' 2>/dev/null) || server=""
    client=$(timeout 15 docker version --format '{{.Client.DefaultAPIVersion}}' 2>/dev/null) || client=""
    [[ "$server" =~ ^[0-9]+\.[0-9]+$ ]] || server=1.41
    if ! [[ "$client" =~ ^[0-9]+\.[0-9]+$ ]] || _containers_version_le "$server" "$client"; then
      export DOCKER_API_VERSION="$server"
      exported+=("DOCKER_API_VERSION=$DOCKER_API_VERSION")
    fi
  fi
  if [ "$_containers_engine_ours" = 1 ]; then
    export TESTCONTAINERS_RYUK_DISABLED="${TESTCONTAINERS_RYUK_DISABLED:-true}"
    export TESTCONTAINERS_HOST_OVERRIDE="${TESTCONTAINERS_HOST_OVERRIDE:-127.0.0.1}"
    exported+=("TESTCONTAINERS_RYUK_DISABLED=$TESTCONTAINERS_RYUK_DISABLED" "TESTCONTAINERS_HOST_OVERRIDE=$TESTCONTAINERS_HOST_OVERRIDE")
  fi
  if [ ${#exported[@]} -gt 0 ]; then
    _containers_note "for this engine: ${exported[*]}"
  fi
}

# Starts dockerd in the background with its defaults, logging to the state folder, and waits
# until it answers.
_containers_start_dockerd() {
  local state log start waited=0 limit=${DOCKER_START_TIMEOUT:-30} launcher pid
  state=$(_containers_state_dir)
  mkdir -p "$state"
  log="$state/dockerd.log"
  printf -- '--- %s: dockerd started by tools/containers.sh\n' "$(date -Iseconds)" >>"$log"
  _containers_say "Docker engine: starting dockerd (log: $log)"
  start=$(_containers_clock)
  local dockerd=(dockerd)
  if [ "$(id -u)" -ne 0 ]; then
    sudo -v || { _containers_fail "starting dockerd needs root, and sudo failed"; return 1; }
    # The engine's socket goes to this user's group, so that docker works without sudo.
    dockerd=(sudo -n dockerd --group "$(id -gn)")
  fi
  (
    # Its own session, and none of this shell's files open but its log: the engine outlives
    # neither the log nor a pipe a CI job reads to its end.
    for fd in "/proc/$BASHPID/fd/"*; do
      fd=${fd##*/}
      if [ "$fd" -gt 2 ] 2>/dev/null && [ "$fd" -ne 255 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    exec setsid "${dockerd[@]}" >>"$log" 2>&1 </dev/null
  ) &
  launcher=$!
  while ! _containers_engine_answers; do
    if ! _containers_alive "$launcher" && ! _containers_is_dockerd "$(cat /var/run/docker.pid 2>/dev/null)"; then
      _containers_fail "dockerd exited while starting; see $log"
      _containers_tail_log "$log"
      return 1
    fi
    if [ "$waited" -ge $((limit * 2)) ]; then
      _containers_fail "dockerd did not answer within $limit s; see $log"
      _containers_tail_log "$log"
      return 1
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
  pid=$(cat /var/run/docker.pid 2>/dev/null) || pid=""
  _containers_is_dockerd "$pid" || pid=$launcher
  _containers_engine_started_pid=$pid
  printf '%s\n' "$pid" >"$state/dockerd.pid"
  _containers_record "start dockerd" "$start"
  _containers_ok "$(_containers_engine_description) answers, dockerd pid $pid ($_containers_took)"
}

_containers_stop_dockerd() { # pid
  local pid=$1 state start waited=0
  state=$(_containers_state_dir)
  _containers_say "Docker engine: stopping the dockerd tools/containers.sh started (pid $pid)"
  start=$(_containers_clock)
  _containers_as_root kill -TERM "$pid" 2>/dev/null || true
  # dockerd stops its containers first (up to 15 s each, in parallel).
  while _containers_alive "$pid" && [ "$waited" -lt 80 ]; do
    sleep 0.5
    waited=$((waited + 1))
  done
  if _containers_alive "$pid"; then
    _containers_note "dockerd did not stop within 40 s; killing it (log: $state/dockerd.log)"
    _containers_as_root kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$state/dockerd.pid"
  _containers_record "stop dockerd" "$start"
  _containers_ok "dockerd stopped ($_containers_took)"
}

# Makes sure a Docker engine answers, and exports the settings its clients need (above).
ensure_docker_engine() {
  local start
  start=$(_containers_clock)
  if _containers_engine_answers; then
    if _containers_our_dockerd_pid >/dev/null; then
      _containers_engine_ours=1
    fi
    _containers_record "engine answers already" "$start"
    if [ "$_containers_engine_ours" = 1 ]; then
      _containers_ok "$(_containers_engine_description) answers; a tools/containers.sh run started it, it keeps running ($_containers_took)"
    else
      _containers_ok "$(_containers_engine_description) answers; using it as it is ($_containers_took)"
    fi
    _containers_export_engine_settings
    return 0
  fi

  if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
    _containers_say "Docker engine: none answers; installing Debian's docker.io"
    if ! _containers_install docker.io; then
      _containers_fail "installing Debian's docker.io failed (apt-get output above)"
      return 1
    fi
    _containers_record "install docker.io" "$start"
    _containers_ok "docker.io installed ($_containers_took)"
    # Where an init system runs, the package has started the engine itself.
    if _containers_engine_answers; then
      _containers_ok "$(_containers_engine_description) answers (started by the package)"
      _containers_export_engine_settings
      return 0
    fi
  fi

  _containers_start_dockerd || return 1
  _containers_engine_ours=1
  _containers_export_engine_settings
}

# Stops the engine if ensure_docker_engine started it in this shell; for test.sh's EXIT trap.
# Never fails.
stop_docker_engine_if_started() {
  local pid=${_containers_engine_started_pid:-}
  _containers_engine_started_pid=""
  if [ -n "$pid" ] && _containers_is_dockerd "$pid"; then
    _containers_stop_dockerd "$pid" || true
  fi
  return 0
}

# --- stand-in recipes ---------------------------------------------------------------------------
# The line of tools/standins/images for IMAGE, without the image: "RECIPE [INPUT...]".
_containers_recipe_line() { # image
  awk -v image="$1" '$1 !~ /^#/ && $1 == image { $1 = ""; sub(/^ +/, ""); print; exit }' "$_containers_standins/images"
}

# Every image tools/standins/images lists.
containers_standin_images() {
  awk '$1 !~ /^#/ && NF >= 2 { print $1 }' "$_containers_standins/images"
}

_containers_packages() {
  sed -e 's/#.*//' "$_containers_standins/packages" | tr -s ' \t' '\n' | sed '/^$/d'
}

# The Debian archive apt's own sources use for bookworm (deb822 .sources files first, then
# one-line .list files), or CHATPLATFORM_DEBIAN_MIRROR.
_containers_debian_mirror() {
  local uri="" files=()
  if [ -n "${CHATPLATFORM_DEBIAN_MIRROR:-}" ]; then
    printf '%s\n' "$CHATPLATFORM_DEBIAN_MIRROR"
    return 0
  fi
  shopt -s nullglob
  files=(/etc/apt/sources.list.d/*.sources)
  if [ ${#files[@]} -gt 0 ]; then
    uri=$(awk -v suite="$_containers_suite" '
      function flush() {
        if (found == "" && uris != "" && (" " types " ") ~ / deb / && enabled != "no" && (" " suites " ") ~ (" " suite " ")) {
          split(uris, u, " "); found = u[1]
        }
        types = ""; uris = ""; suites = ""; enabled = ""
      }
      FNR == 1 { flush() }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      { key = tolower($1); line = $0; sub(/^[^:]*:[ \t]*/, "", line) }
      key == "types:" { types = line }
      key == "uris:" { uris = line }
      key == "suites:" { suites = line }
      key == "enabled:" { enabled = tolower(line) }
      END { flush(); if (found != "") print found }
    ' "${files[@]}")
  fi
  if [ -z "$uri" ]; then
    files=(/etc/apt/sources.list /etc/apt/sources.list.d/*.list)
    local existing=()
    for f in "${files[@]}"; do [ -r "$f" ] && existing+=("$f"); done
    if [ ${#existing[@]} -gt 0 ]; then
      uri=$(awk -v suite="$_containers_suite" '
        $1 == "deb" {
          i = 2
          if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
          if ($(i + 1) == suite) { print $i; exit }
        }' "${existing[@]}")
    fi
  fi
  shopt -u nullglob
  if ! [[ "$uri" =~ ^https?:// ]]; then
    _containers_fail "no Debian archive for $_containers_suite in apt's sources (/etc/apt/sources.list.d/*.sources, /etc/apt/sources.list); set CHATPLATFORM_DEBIAN_MIRROR"
    return 1
  fi
  printf '%s\n' "${uri%/}"
}

_containers_rootfs_key() {
  { echo "$_containers_rootfs_recipe"; _containers_packages | sort; } | _containers_sha
}

# The machine's extra certificate authorities: the *.crt files it added to its own store.
_containers_ca_files() {
  if [ -d /usr/local/share/ca-certificates ]; then
    find /usr/local/share/ca-certificates -name '*.crt' -type f 2>/dev/null | sort
  fi
}

_containers_base_key() {
  local f
  {
    _containers_rootfs_key
    cat "$_containers_standins/base/Dockerfile"
    while IFS= read -r f; do
      echo "$f"
      cat "$f"
    done < <(_containers_ca_files)
  } | _containers_sha
}

_containers_image_key() { # image label value
  docker image inspect --format "{{ index .Config.Labels \"$_containers_key_label\" }}" "$1" 2>/dev/null | sed 's/<no value>//'
}

# Notes the image IMAGE names now, before a build replaces it (removed at the end of
# ensure_images, if nothing uses it any more).
_containers_remember_replaced() { # image
  local id
  if id=$(docker image inspect --format '{{.Id}}' "$1" 2>/dev/null); then
    _containers_replaced+=("$id")
  fi
}

# Removes the images rebuilt stand-ins replaced, newest first, so that an old stand-in goes
# before the old base it was built on. An image still tagged, used by a container or built on
# by another image stays. (Not `docker image prune --filter label=...`: images built FROM a
# stand-in, such as the build stages of the services' Dockerfiles, inherit its labels, and
# their build cache would go too.)
_containers_remove_replaced() {
  local i id
  for ((i = ${#_containers_replaced[@]} - 1; i >= 0; i--)); do
    id=${_containers_replaced[i]}
    if [ "$(docker image inspect --format '{{len .RepoTags}}' "$id" 2>/dev/null)" = 0 ]; then
      docker rmi "$id" >/dev/null 2>&1 || true
    fi
  done
  _containers_replaced=()
}

# The .NET install to copy from: DOTNET_ROOT, or the folder of the dotnet on the PATH.
_containers_dotnet_root() {
  if [ -n "${DOTNET_ROOT:-}" ] && [ -x "$DOTNET_ROOT/dotnet" ]; then
    printf '%s\n' "$DOTNET_ROOT"
  elif command -v dotnet >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v dotnet)")"
  else
    _containers_fail "no .NET install on this machine (dotnet is not on the PATH, DOTNET_ROOT is not set)"
    return 1
  fi
}

# The highest version folder in DIR starting with PREFIX (e.g. 10.0 for 10.0.12).
_containers_latest_version() { # dir, prefix
  local dir=$1 prefix=${2:-}
  find "$dir" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null |
    awk -v p="$prefix" 'p == "" || index($0, p ".") == 1' | sort -V | tail -n 1
}

# The .NET version of an image tag: 10.0 for 10.0-noble.
_containers_dotnet_channel() { # image
  local tag=${1##*:}
  tag=${tag%%-*}
  if ! [[ "$tag" =~ ^[0-9]+\.[0-9]+$ ]]; then
    _containers_fail "cannot tell the .NET version of $1 from its tag"
    return 1
  fi
  printf '%s\n' "$tag"
}

# The machine's NuGet configuration: the user-level file `dotnet nuget config paths` names
# (and NUGET_CERT_REVOCATION_MODE, when its environment sets it).
_containers_nuget_config() {
  local f
  if [ -f "$HOME/.nuget/NuGet/NuGet.Config" ]; then
    printf '%s\n' "$HOME/.nuget/NuGet/NuGet.Config"
    return 0
  fi
  if command -v dotnet >/dev/null 2>&1; then
    f=$(cd / && dotnet nuget config paths 2>/dev/null | head -n 1) || f=""
    if [ -n "$f" ] && [ -f "$f" ]; then
      printf '%s\n' "$f"
    fi
  fi
}

# What the machine inputs of a recipe are, for the stand-in's key.
_containers_inputs_fingerprint() { # image, inputs...
  local image=$1 input root channel config
  shift
  for input in "$@"; do
    echo "input $input"
    case "$input" in
      dotnet-runtime)
        root=$(_containers_dotnet_root) || return 1
        channel=$(_containers_dotnet_channel "$image") || return 1
        echo "$(_containers_latest_version "$root/host/fxr") $(_containers_latest_version "$root/shared/Microsoft.NETCore.App" "$channel") $(_containers_latest_version "$root/shared/Microsoft.AspNetCore.App" "$channel")"
        ;;
      dotnet-sdk)
        root=$(_containers_dotnet_root) || return 1
        (cd "$root" && find sdk shared host packs -mindepth 1 -maxdepth 2 -type d 2>/dev/null | sort)
        ;;
      nuget-config)
        config=$(_containers_nuget_config)
        if [ -n "$config" ]; then cat "$config"; fi
        echo "NUGET_CERT_REVOCATION_MODE=${NUGET_CERT_REVOCATION_MODE:-}"
        ;;
      *)
        _containers_fail "tools/standins/images: unknown machine input '$input' for $image"
        return 1
        ;;
    esac
  done
}

_containers_standin_key() { # image, recipe, inputs...
  local image=$1 recipe=$2 fingerprint
  shift 2
  fingerprint=$(_containers_inputs_fingerprint "$image" "$@") || return 1
  {
    echo "$image $recipe"
    _containers_base_key
    (cd "$_containers_standins/$recipe" && find . -type f | sort | while IFS= read -r f; do
      echo "$f"
      cat "$f"
    done)
    printf '%s\n' "$fingerprint"
  } | _containers_sha
}

# Hard links where the file system allows them (no copy of a .NET install), else a copy.
_containers_link_or_copy() { # source, destination
  mkdir -p "$(dirname "$2")"
  cp -al "$1" "$2" 2>/dev/null || { rm -rf "$2"; cp -a "$1" "$2"; }
}

# Puts the machine inputs of a recipe into its build context, and their build arguments into
# _containers_build_args.
_containers_stage_inputs() { # image, context, inputs...
  local image=$1 context=$2 input root channel runtime aspnet fxr sdk config
  shift 2
  for input in "$@"; do
    case "$input" in
      dotnet-runtime | dotnet-sdk)
        root=$(_containers_dotnet_root) || return 1
        channel=$(_containers_dotnet_channel "$image") || return 1
        runtime=$(_containers_latest_version "$root/shared/Microsoft.NETCore.App" "$channel")
        aspnet=$(_containers_latest_version "$root/shared/Microsoft.AspNetCore.App" "$channel")
        fxr=$(_containers_latest_version "$root/host/fxr")
        if [ -z "$runtime" ] || [ -z "$aspnet" ] || [ -z "$fxr" ]; then
          _containers_fail "$root has no .NET $channel and ASP.NET Core $channel runtimes (dotnet --list-runtimes)"
          return 1
        fi
        _containers_build_args+=(--build-arg "DOTNET_VERSION=$runtime" --build-arg "ASPNET_VERSION=$aspnet")
        if [ "$input" = dotnet-sdk ]; then
          sdk=$(_containers_latest_version "$root/sdk" "$channel")
          if [ -z "$sdk" ]; then
            _containers_fail "$root has no .NET $channel SDK (dotnet --list-sdks)"
            return 1
          fi
          _containers_build_args+=(--build-arg "DOTNET_SDK_VERSION=$sdk")
          _containers_link_or_copy "$root" "$context/dotnet"
        else
          mkdir -p "$context/dotnet"
          for f in dotnet LICENSE.txt ThirdPartyNotices.txt; do
            if [ -e "$root/$f" ]; then _containers_link_or_copy "$root/$f" "$context/dotnet/$f"; fi
          done
          _containers_link_or_copy "$root/host/fxr/$fxr" "$context/dotnet/host/fxr/$fxr"
          _containers_link_or_copy "$root/shared/Microsoft.NETCore.App/$runtime" "$context/dotnet/shared/Microsoft.NETCore.App/$runtime"
          _containers_link_or_copy "$root/shared/Microsoft.AspNetCore.App/$aspnet" "$context/dotnet/shared/Microsoft.AspNetCore.App/$aspnet"
        fi
        ;;
      nuget-config)
        mkdir -p "$context/nuget"
        config=$(_containers_nuget_config)
        if [ -n "$config" ]; then
          cp "$config" "$context/nuget/NuGet.Config"
        else
          _containers_note "no NuGet configuration on this machine: $image restores from nuget.org"
        fi
        # Where the machine checks package signatures' revocation offline (its certificate
        # authorities' revocation servers are out of reach), so does the image: online, each
        # restore waits for them.
        if [ -n "${NUGET_CERT_REVOCATION_MODE:-}" ]; then
          _containers_build_args+=(--build-arg "NUGET_CERT_REVOCATION_MODE=$NUGET_CERT_REVOCATION_MODE")
        fi
        ;;
      *)
        _containers_fail "tools/standins/images: unknown machine input '$input' for $image"
        return 1
        ;;
    esac
  done
}

# --- building -----------------------------------------------------------------------------------
# Builds the cached root file system tarball with debootstrap.
_containers_make_rootfs() { # tarball
  local tarball=$1 cache state log mirror work start packages status
  cache=$(_containers_cache_dir)
  state=$(_containers_state_dir)
  log="$state/debootstrap.log"
  if ! command -v debootstrap >/dev/null 2>&1; then
    start=$(_containers_clock)
    _containers_install debootstrap || { _containers_fail "installing Debian's debootstrap failed (apt-get output above)"; return 1; }
    _containers_record "install debootstrap" "$start"
    _containers_ok "debootstrap installed ($_containers_took)"
  fi
  mirror=$(_containers_debian_mirror) || return 1
  packages=$(_containers_packages | paste -sd, -)
  _containers_say "Stand-ins: Debian $_containers_suite root file system with debootstrap from $mirror, about 2 minutes (log: $log)"
  start=$(_containers_clock)
  work=$(mktemp -d "$cache/rootfs.XXXXXX")
  if ! _containers_as_root debootstrap --variant=minbase --include="$packages" "$_containers_suite" "$work/rootfs" "$mirror" >"$log" 2>&1; then
    _containers_fail "debootstrap failed; see $log"
    _containers_tail_log "$log"
    _containers_as_root rm -rf "$work"
    return 1
  fi
  _containers_as_root sh -c 'rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*' _ "$work/rootfs"
  _containers_as_root tar --numeric-owner -C "$work/rootfs" -c . | gzip -1 >"$work/rootfs.tar.gz"
  status=("${PIPESTATUS[@]}")
  if [ "${status[0]}" -ne 0 ] || [ "${status[1]}" -ne 0 ]; then
    _containers_fail "packing the root file system into $work/rootfs.tar.gz failed"
    _containers_as_root rm -rf "$work"
    return 1
  fi
  find "$cache" -maxdepth 1 -name "rootfs-$_containers_suite-*.tar.gz" -delete
  mv "$work/rootfs.tar.gz" "$tarball"
  _containers_as_root rm -rf "$work"
  _containers_record "debootstrap root file system" "$start"
  _containers_ok "root file system cached in $tarball ($(du -h "$tarball" | cut -f1), $_containers_took)"
}

# The shared base image: the root file system (imported from the cached tarball, made first if
# needed) and this machine's certificate authorities.
_containers_ensure_base() {
  local rootfs_key base_key cache state tarball start context log
  rootfs_key=$(_containers_rootfs_key)
  base_key=$(_containers_base_key)
  if [ "$(_containers_image_key "$_containers_base_image")" = "$base_key" ]; then
    return 0
  fi
  cache=$(_containers_cache_dir)
  state=$(_containers_state_dir)
  if [ "$(_containers_image_key "$_containers_rootfs_image")" != "$rootfs_key" ]; then
    tarball="$cache/rootfs-$_containers_suite-$rootfs_key.tar.gz"
    if [ -s "$tarball" ]; then
      _containers_ok "root file system from the cache: $tarball"
    else
      _containers_make_rootfs "$tarball" || return 1
    fi
    start=$(_containers_clock)
    _containers_remember_replaced "$_containers_rootfs_image"
    if ! docker import \
      --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
      --change "LABEL $_containers_label=rootfs $_containers_key_label=$rootfs_key" \
      --change 'CMD ["bash"]' \
      "$tarball" "$_containers_rootfs_image" >"$state/import.log" 2>&1; then
      _containers_fail "docker import of $tarball failed; see $state/import.log"
      _containers_tail_log "$state/import.log"
      return 1
    fi
    _containers_record "import root file system" "$start"
    _containers_ok "$_containers_rootfs_image imported ($_containers_took)"
  fi

  start=$(_containers_clock)
  log="$state/standin-base.log"
  context=$(mktemp -d "$cache/context.XXXXXX")
  cp "$_containers_standins/base/Dockerfile" "$context/"
  mkdir -p "$context/ca-certificates"
  while IFS= read -r f; do
    cp "$f" "$context/ca-certificates/"
  done < <(_containers_ca_files)
  _containers_remember_replaced "$_containers_base_image"
  if ! docker build --force-rm -t "$_containers_base_image" \
    --label "$_containers_label=base" --label "$_containers_key_label=$base_key" \
    --build-arg "ROOTFS=$_containers_rootfs_image" "$context" >"$log" 2>&1; then
    _containers_fail "building $_containers_base_image failed; see $log"
    _containers_tail_log "$log"
    rm -rf "$context"
    return 1
  fi
  rm -rf "$context"
  _containers_record "build $_containers_base_image" "$start"
  _containers_ok "$_containers_base_image built, with $(_containers_ca_files | wc -l) certificate authorities of this machine ($_containers_took)"
}

_containers_build_standin() { # image, key, recipe, inputs...
  local image=$1 key=$2 recipe=$3 cache state log context start
  shift 3
  _containers_ensure_base || return 1
  cache=$(_containers_cache_dir)
  state=$(_containers_state_dir)
  log="$state/standin-$recipe.log"
  start=$(_containers_clock)
  context=$(mktemp -d "$cache/context.XXXXXX")
  cp -a "$_containers_standins/$recipe/." "$context/"
  _containers_build_args=(--build-arg "BASE=$_containers_base_image")
  if ! _containers_stage_inputs "$image" "$context" "$@"; then
    rm -rf "$context"
    return 1
  fi
  _containers_remember_replaced "$image"
  if ! docker build --force-rm -t "$image" \
    --label "$_containers_label=$recipe" --label "$_containers_key_label=$key" \
    "${_containers_build_args[@]}" "$context" >"$log" 2>&1; then
    _containers_fail "building the stand-in $image failed; see $log"
    _containers_tail_log "$log"
    rm -rf "$context"
    return 1
  fi
  rm -rf "$context"
  _containers_record "build $image" "$start"
  _containers_ok "$image: stand-in built from tools/standins/$recipe ($_containers_took)"
}

_containers_registry() { # image
  local first=${1%%/*}
  if [ "$first" != "$1" ] && { [[ "$first" == *.* ]] || [[ "$first" == *:* ]] || [ "$first" = localhost ]; }; then
    printf '%s\n' "$first"
  else
    printf '%s\n' docker.io
  fi
}

_containers_ensure_image() { # image
  local image=$1 start recipe_line recipe inputs=() key current registry state timeout=${DOCKER_PULL_TIMEOUT:-60}
  start=$(_containers_clock)
  state=$(_containers_state_dir)
  recipe_line=$(_containers_recipe_line "$image")
  if [ -n "$recipe_line" ]; then
    read -r recipe _ <<<"$recipe_line"
    read -r -a inputs <<<"${recipe_line#"$recipe"}"
  fi

  if docker image inspect "$image" >/dev/null 2>&1; then
    current=$(_containers_image_key "$image")
    if [ -z "$current" ]; then
      _containers_record "$image present" "$start"
      _containers_ok "$image present ($_containers_took)"
      return 0
    fi
    _containers_standin_in_use=1
    if [ -n "$recipe_line" ]; then
      key=$(_containers_standin_key "$image" "$recipe" "${inputs[@]}") || return 1
    fi
    if [ -z "$recipe_line" ] || [ "$current" = "$key" ]; then
      _containers_record "$image present (stand-in)" "$start"
      _containers_ok "$image present (stand-in) ($_containers_took)"
      return 0
    fi
    _containers_note "$image is a stand-in built from other inputs (recipe, base, this machine's .NET, certificates or NuGet configuration): rebuilding"
  else
    registry=$(_containers_registry "$image")
    if [ "$timeout" != 0 ] && [[ "$_containers_unreachable" != *" $registry "* ]]; then
      if timeout "$timeout" docker pull -q "$image" >"$state/pull.log" 2>&1; then
        _containers_record "pull $image" "$start"
        _containers_ok "$image pulled ($_containers_took)"
        return 0
      fi
      _containers_unreachable+="$registry "
      _containers_record "pull $image (failed)" "$start"
      _containers_note "$image cannot be pulled from $registry ($_containers_took): $(tail -n 1 "$state/pull.log" | cut -c1-160)"
    fi
    if [ -z "$recipe_line" ]; then
      _containers_fail "$image is not here, cannot be pulled, and tools/standins/images has no stand-in for it"
      return 1
    fi
    _containers_standin_in_use=1
    key=$(_containers_standin_key "$image" "$recipe" "${inputs[@]}") || return 1
  fi
  _containers_build_standin "$image" "$key" "$recipe" "${inputs[@]}"
}

# Makes sure each IMAGE is in the engine: present, else pulled, else built as a stand-in. When
# any is a stand-in, Testcontainers' reaper (Ryuk) is disabled: its image cannot be pulled either.
ensure_images() {
  local image cache lock_fd="" rc=0
  [ $# -gt 0 ] || return 0
  if ! _containers_engine_answers; then
    _containers_fail "no Docker engine answers (ensure_docker_engine first)"
    return 1
  fi
  _containers_say "Images: $*"
  cache=$(_containers_cache_dir)
  mkdir -p "$cache" "$(_containers_state_dir)"
  # One builder at a time on this machine (two test runs at once would both build).
  exec {lock_fd}>"$cache/.lock"
  if ! flock -w 1800 "$lock_fd"; then
    _containers_fail "another tools/containers.sh kept $cache/.lock for 30 minutes"
    exec {lock_fd}>&-
    return 1
  fi
  find "$cache" -maxdepth 1 \( -name 'context.*' -o -name 'rootfs.*' \) -exec rm -rf {} + 2>/dev/null || true
  for image in "$@"; do
    if ! _containers_ensure_image "$image"; then
      rc=1
      break
    fi
  done
  _containers_remove_replaced
  exec {lock_fd}>&-
  [ "$rc" -eq 0 ] || return 1
  if [ "$_containers_standin_in_use" = 1 ]; then
    export TESTCONTAINERS_RYUK_DISABLED="${TESTCONTAINERS_RYUK_DISABLED:-true}"
    _containers_note "stand-ins in use: TESTCONTAINERS_RYUK_DISABLED=$TESTCONTAINERS_RYUK_DISABLED"
  fi
}

# --- alone --------------------------------------------------------------------------------------
containers_check() { # [image...]
  local images=("$@") start entry
  if [ ${#images[@]} -eq 0 ]; then
    mapfile -t images < <(containers_standin_images)
  fi
  start=$(_containers_clock)
  ensure_docker_engine
  ensure_images "${images[@]}"
  _containers_record "total" "$start"
  _containers_say "Done: the engine answers and ${#images[@]} images are present"
  for entry in "${_containers_timings[@]}"; do
    printf '  %9s  %s\n' "${entry%%|*}" "${entry#*|}"
  done
  if [ -n "$_containers_engine_started_pid" ]; then
    echo "The engine keeps running (dockerd pid $_containers_engine_started_pid, log $(_containers_state_dir)/dockerd.log); tools/containers.sh stop stops it."
  fi
  echo "In a shell that uses this engine:"
  for var in DOCKER_API_VERSION TESTCONTAINERS_RYUK_DISABLED TESTCONTAINERS_HOST_OVERRIDE; do
    if [ -n "${!var:-}" ]; then echo "  export $var=${!var}"; fi
  done
}

containers_stop_engine() {
  local pid
  if pid=$(_containers_our_dockerd_pid); then
    _containers_stop_dockerd "$pid"
  else
    echo "No engine started by tools/containers.sh is running."
  fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-check}" in
    check)
      shift || true
      containers_check "$@"
      ;;
    engine) ensure_docker_engine ;;
    stop) containers_stop_engine ;;
    *)
      echo "usage: $0 [check [IMAGE...] | engine | stop]" >&2
      exit 2
      ;;
  esac
fi
