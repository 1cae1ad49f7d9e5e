# AB_SANITIZERS=address,undefined switches sanitizers on for every target.
if(AB_SANITIZERS)
  add_compile_options(-fsanitize=${AB_SANITIZERS} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${AB_SANITIZERS})
endif()
