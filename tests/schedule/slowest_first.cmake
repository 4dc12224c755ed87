# Read by ctest (see CMakeLists.txt here). Seconds each took in a whole-suite run.
set(attune_slowest
  WindowApp.TheJourneyThroughRealWindows 34
  HostTimers.APauseEndsOnTimeEvenAcrossAHostRestart 30  # the engine's 30 s minimum pause
  app_screenshots 24
  HostLimits.StrangersHoldingHandshakesOpenDoNotKeepAPairedPartnerOrACoachOut 22
  netns_discovery_session_outage_mid_turn 17
  netns_discovery_session_over_slow_link 15
  Abuse.AThousandWrongCodesAreCutOffWhileTheSessionCarriesOn 14
  netns_discovery_long_distance 8
  HostLimits.TwentyThousandRefusedIntentsFromTheLobbyLeaveTheHostSmall 8
  netns_discovery_multicast_dropped 8
  netns_discovery_foreign_packets 7
  app_keyboard 7)
while(attune_slowest)
  list(POP_FRONT attune_slowest test seconds)
  set_tests_properties(${test} PROPERTIES COST ${seconds})
endwhile()
