; Inno Setup 6.3+ script (UTF-8): the counter PC's installer, built from the onedir bundle.
;   python packaging\build.py
;   iscc packaging\windowdesk.iss      -> dist\windowdesk-setup-0.1.0.exe
; NOT VERIFIED: written on Linux; never compiled by ISCC nor run on Windows (see README.md).

#define AppVersion "0.1.0"

[Setup]
AppId={{8FB55E08-2F91-43FF-8CF2-17CE6F4F7584}
AppName=一窗协同 WindowDesk
AppVersion={#AppVersion}
AppPublisher=WindowDesk
; Per user, without administrator rights: the clerk's own HKCU gets the autostart entry,
; and the session token and cache key are in the clerk's own Credential Manager anyway.
PrivilegesRequired=lowest
DefaultDirName={autopf}\WindowDesk
DefaultGroupName=一窗协同
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SourceDir=..
OutputDir=dist
OutputBaseFilename=windowdesk-setup-{#AppVersion}
UninstallDisplayIcon={app}\windowdesk.exe
Compression=lzma2
SolidCompression=yes

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "autostart"; Description: "开机时自动启动一窗协同"; Flags: unchecked

[Files]
Source: "dist\windowdesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\一窗协同"; Filename: "{app}\windowdesk.exe"
Name: "{group}\卸载一窗协同"; Filename: "{uninstallexe}"

[Registry]
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: string; ValueName: "WindowDesk"; ValueData: """{app}\windowdesk.exe"""; Flags: uninsdeletevalue; Tasks: autostart

[Run]
Filename: "{app}\windowdesk.exe"; Description: "启动一窗协同"; Flags: nowait postinstall skipifsilent

; The clerk's data (%LOCALAPPDATA%\WindowDesk: the encrypted cache, possibly with operations
; not yet sent) is deliberately left behind by the uninstaller.

[Code]
// The installed bundle tests itself on this PC (cache, keyring, translations, window, an
// embedded server); a failure is reported rather than discovered by the clerk.
procedure CurStepChanged(CurStep: TSetupStep);
var
  ResultCode: Integer;
begin
  if CurStep = ssPostInstall then
    if not Exec(ExpandConstant('{app}\windowdesk-cli.exe'), '--self-test', '', SW_HIDE,
                ewWaitUntilTerminated, ResultCode) or (ResultCode <> 0) then
      MsgBox('一窗协同安装后自检未通过（退出码 ' + IntToStr(ResultCode) + '）。' +
             '请在命令提示符中运行 "' + ExpandConstant('{app}\windowdesk-cli.exe') +
             '" --self-test 查看原因，并联系信息科。', mbError, MB_OK);
end;
