; FieldBridge's additions to Tauri's NSIS installer (tauri.windows.conf.json:
; bundle > windows > nsis > installerHooks). Tauri inserts NSIS_HOOK_POSTINSTALL at the end of
; its Install section and NSIS_HOOK_PREUNINSTALL at the start of its Uninstall section, after
; the confirm page (so $DeleteAppDataCheckboxState is known) and before anything is removed.
;
; Start at login (per user: HKCU only, never HKLM, even when the installer runs elevated). On
; after installing, because the QuickBooks Web Connector usually runs at night and must find
; FieldBridge's endpoint listening. The value is the one the app's "Start FieldBridge when I
; sign in" switch and `fieldbridge settings set start-at-login` write (HKCU ...\Run, named
; after the product, the quoted path with --minimized), so they agree and either turns it
; off. An automatic update (/UPDATE) leaves the person's choice alone. The MSI writes the same
; value (installer/windows/autostart.wxs); uninstalling either removes it.
;
; Data is never lost to an uninstall or an upgrade:
; - Before anything is removed, the database (%LOCALAPPDATA%\app.fieldbridge.desktop\
;   fieldbridge.sqlite3 and its -wal) is copied to %LOCALAPPDATA%\FieldBridge backups\,
;   outside every folder an uninstall deletes.
; - During an update (/UPDATE) "Delete the application data" is forced off.
; - A double-clicked newer installer runs the old uninstaller without /UPDATE, so the box is
;   on its page; ticked, it now asks again, defaulting to No ("installing a newer version?
;   choose No"), and a silent uninstall (/S) never deletes data.

!define FB_DATA "$LOCALAPPDATA\app.fieldbridge.desktop"
!define FB_BACKUPS "$LOCALAPPDATA\FieldBridge backups"
!define FB_RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"

!macro NSIS_HOOK_POSTINSTALL
  ${If} $UpdateMode <> 1
    WriteRegStr HKCU "${FB_RUN_KEY}" "${PRODUCTNAME}" '"$INSTDIR\${MAINBINARYNAME}.exe" --minimized'
  ${EndIf}
!macroend

!macro NSIS_HOOK_PREUNINSTALL
  SetShellVarContext current
  ${If} ${FileExists} "${FB_DATA}\fieldbridge.sqlite3"
    ; One backup per uninstall, named by the time: yyyy-mm-dd-hhmmss.
    ${GetTime} "" "L" $0 $1 $2 $3 $4 $5 $6
    StrCpy $7 "${FB_BACKUPS}\$2-$1-$0-$4$5$6"
    CreateDirectory "$7"
    CopyFiles /SILENT "${FB_DATA}\fieldbridge.sqlite3" "$7"
    ${If} ${FileExists} "${FB_DATA}\fieldbridge.sqlite3-wal"
      CopyFiles /SILENT "${FB_DATA}\fieldbridge.sqlite3-wal" "$7"
    ${EndIf}
    DetailPrint "FieldBridge's database was copied to $7"
  ${EndIf}
  ${If} $UpdateMode = 1
    StrCpy $DeleteAppDataCheckboxState 0
  ${EndIf}
  ${If} $DeleteAppDataCheckboxState = 1
    MessageBox MB_YESNO|MB_ICONEXCLAMATION|MB_DEFBUTTON2 \
      "Delete FieldBridge's data (its database of what was sent to QuickBooks, the Web Connector password and the logs)?$\r$\n$\r$\nIf you are installing a newer version of FieldBridge, choose No.$\r$\n$\r$\nA copy of the database is kept in ${FB_BACKUPS}." \
      /SD IDNO IDYES fb_delete_confirmed
    StrCpy $DeleteAppDataCheckboxState 0
    fb_delete_confirmed:
  ${EndIf}
  ${If} $UpdateMode <> 1
    DeleteRegValue HKCU "${FB_RUN_KEY}" "${PRODUCTNAME}"
  ${EndIf}
!macroend
