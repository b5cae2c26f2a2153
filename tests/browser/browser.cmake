# The public site in headless Chromium: site.test.js, run by Node's test
# runner, drives Debian's /usr/bin/chromium with playwright-core and scans the
# pages with axe-core (both pinned in package-lock.json; `make test` runs
# `npm ci` here first). Included by the top-level CMakeLists.txt.
find_program(NEWSDESK_NODE node)
if(NOT NEWSDESK_NODE)
  message(WARNING "node not found: browser tests not registered (scripts/install-deps installs it)")
  return()
endif()

add_test(NAME browser.site
  COMMAND ${NEWSDESK_NODE} --test-reporter=spec ${CMAKE_CURRENT_LIST_DIR}/site.test.js
          $<TARGET_FILE:newsdesk> ${PROJECT_SOURCE_DIR})
set_tests_properties(browser.site PROPERTIES
  TIMEOUT 180
  ENVIRONMENT "BROWSER_SCREENSHOTS=${CMAKE_CURRENT_BINARY_DIR}/browser-screenshots")

# The editorial workflow end to end (a little over a minute: the schedule
# has minute precision).
add_test(NAME browser.editorial
  COMMAND ${NEWSDESK_NODE} --test-reporter=spec ${CMAKE_CURRENT_LIST_DIR}/editorial.test.js
          $<TARGET_FILE:newsdesk>)
set_tests_properties(browser.editorial PROPERTIES TIMEOUT 240)

# Languages: the Arabic home page right-to-left at 375 px, the language
# switcher from an English item to its French translation.
add_test(NAME browser.languages
  COMMAND ${NEWSDESK_NODE} --test-reporter=spec ${CMAKE_CURRENT_LIST_DIR}/languages.test.js
          $<TARGET_FILE:newsdesk>)
set_tests_properties(browser.languages PROPERTIES
  TIMEOUT 150
  ENVIRONMENT "BROWSER_SCREENSHOTS=${CMAKE_CURRENT_BINARY_DIR}/browser-screenshots")
