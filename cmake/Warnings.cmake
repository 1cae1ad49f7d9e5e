# One interface target carries the warning flags every target of ours uses.
add_library(ab_warnings INTERFACE)
target_compile_options(ab_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align
  -Wunused -Woverloaded-virtual -Wimplicit-fallthrough
  $<$<BOOL:${AB_WERROR}>:-Werror>)
