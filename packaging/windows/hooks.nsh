; CCSP Coordinator's additions to the per-user NSIS setup (bundle.windows.nsis.installerHooks in
; packaging/windows/release.conf.json).

; ccsp.exe is installed beside the app: the install folder goes on this user's PATH, once.
!macro NSIS_HOOK_POSTINSTALL
  ReadRegStr $0 HKCU "Environment" "Path"
  ${StrLoc} $1 "$0" "$INSTDIR" ">"
  ${If} $1 == ""
    ${If} $0 == ""
      WriteRegExpandStr HKCU "Environment" "Path" "$INSTDIR"
    ${Else}
      WriteRegExpandStr HKCU "Environment" "Path" "$0;$INSTDIR"
    ${EndIf}
    SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
  ${EndIf}
!macroend

!macro NSIS_HOOK_PREUNINSTALL
  ; The store and its backups are the partnership's record: an uninstall never deletes them,
  ; whatever the confirmation page's "delete the application data" box says.
  StrCpy $DeleteAppDataCheckboxState 0
  ; The install folder comes off this user's PATH (not when updating: the new version keeps it).
  ${If} $UpdateMode <> 1
    ReadRegStr $0 HKCU "Environment" "Path"
    ${un.WordReplace} "$0" ";$INSTDIR" "" "+" $1
    ${un.WordReplace} "$1" "$INSTDIR" "" "+" $1
    WriteRegExpandStr HKCU "Environment" "Path" "$1"
    SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
  ${EndIf}
!macroend
