# One interface target carries the warning flags every target of ours uses.
add_library(ab_warnings INTERFACE)
target_compile_options(ab_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align
  -Wunused -Woverloaded-virtual -Wimplicit-fallthrough
  # GCC 12 reports Asio's awaitable frame allocator as a mismatched
  # new/delete (GCC bug 109224, a false positive fixed in GCC 13).
  $<$<CXX_COMPILER_ID:GNU>:-Wno-mismatched-new-delete>
  $<$<BOOL:${AB_WERROR}>:-Werror>)
