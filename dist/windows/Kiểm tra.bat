@echo off
rem Kiem tra toan bo noi dung truoc khi dang; cua so giu lai de doc ket qua.
chcp 65001 >nul
cd /d "%~dp0"
cds.exe check
echo.
pause
