@echo off
rem Xem truoc chuyen muc: dung trang va mo trinh duyet. Dong cua so nay de dung.
chcp 65001 >nul
cd /d "%~dp0"
cds.exe serve --open
if errorlevel 1 pause
