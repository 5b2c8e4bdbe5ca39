; FieldBridge's additions to Tauri's NSIS installer (bundle > windows > nsis > installerHooks).
;
; Start at login is the default, because the QuickBooks Web Connector usually runs at night
; and must find FieldBridge's endpoint listening. The value is the one that
; tauri-plugin-autostart reads and writes (HKCU ...\Run, named after the product), so the
; "Start FieldBridge when I sign in" switch in the app and the installer agree. The app
; removes it again at its next start if the office manager switched it off.
;
; Uninstall removes the Run value. The data folder (%LOCALAPPDATA%\app.fieldbridge.desktop:
; database, password, logs) is kept unless the person ticks Tauri's own "Delete the
; application data" box; an update (/UPDATE) never touches it.

!macro NSIS_HOOK_POSTINSTALL
  WriteRegStr HKCU "Software\Microsoft\Windows\CurrentVersion\Run" "${PRODUCTNAME}" '"$INSTDIR\${MAINBINARYNAME}.exe" --minimized'
!macroend

!macro NSIS_HOOK_POSTUNINSTALL
  ; An update uninstalls the old version first: keep start-at-login then.
  ${If} $UpdateMode <> 1
    DeleteRegValue HKCU "Software\Microsoft\Windows\CurrentVersion\Run" "${PRODUCTNAME}"
  ${EndIf}
!macroend
