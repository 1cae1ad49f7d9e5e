# bash completion for audience-batch. The flags and job kinds are read from
# `audience-batch --help` when asked, so that they are never listed twice.
_audience_batch() {
  local cur prev words cword
  _init_completion || return
  case "$prev" in
    --job)
      COMPREPLY=($(compgen -W "$("${words[0]}" --help 2>/dev/null | grep -oE '\b(nf|tw)\.[a-z-]+\b' | sort -u)" -- "$cur"))
      return ;;
    --out|--responses|--metrics|--ca-file)
      _filedir
      return ;;
    --progress)
      COMPREPLY=($(compgen -W "auto bar lines" -- "$cur"))
      return ;;
    --log-format)
      COMPREPLY=($(compgen -W "text json" -- "$cur"))
      return ;;
  esac
  if [[ $cword -eq 1 ]]; then
    COMPREPLY=($(compgen -W "run check sim --help --version" -- "$cur"))
  elif [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$("${words[0]}" "${words[1]}" --help 2>/dev/null | grep -o -- '--[a-z][a-z-]*' | sort -u)" -- "$cur"))
  else
    _filedir csv
  fi
}
complete -F _audience_batch audience-batch
