@echo off
rem Soan bai tren trinh duyet: mo trinh soan bai. Dong cua so nay de dung.
chcp 65001 >nul
cd /d "%~dp0"
cds.exe serve --open-editor
if errorlevel 1 pause
