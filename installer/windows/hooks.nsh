; FieldBridge's addition to Tauri's NSIS installer (tauri.windows.conf.json:
; bundle > windows > nsis > installerHooks; Tauri inserts NSIS_HOOK_POSTINSTALL at the end of
; its Install section).
;
; Start at login is the default, because the QuickBooks Web Connector usually runs at night
; and must find FieldBridge's endpoint listening. The value is the one tauri-plugin-autostart
; reads and writes (HKCU ...\Run, named after the product, the command line with
; --minimized), so the app's "Start FieldBridge when I sign in" switch and the installer
; agree; the switch turns it off. An automatic update (/UPDATE) leaves the person's choice
; alone.
;
; Not here, because Tauri's own installer already does it: uninstalling removes this Run value
; (except during an update); the data folder (%LOCALAPPDATA%\app.fieldbridge.desktop:
; database, password, logs) is removed only when the person ticks "Delete the application
; data" in the uninstaller, and never during an update.

!macro NSIS_HOOK_POSTINSTALL
  ${If} $UpdateMode <> 1
    WriteRegStr HKCU "Software\Microsoft\Windows\CurrentVersion\Run" "${PRODUCTNAME}" '"$INSTDIR\${MAINBINARYNAME}.exe" --minimized'
  ${EndIf}
!macroend
