@echo off
rem Dang len cong thong tin: dung chuyen muc roi gui len noi ghi trong config.yaml (publish: to:).
rem Cua so giu lai de doc ket qua.
chcp 65001 >nul
cd /d "%~dp0"
cds.exe publish
echo.
pause
