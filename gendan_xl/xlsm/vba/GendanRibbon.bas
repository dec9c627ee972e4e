Attribute VB_Name = "GendanRibbon"
' GendanXL ribbon: every button calls GendanRibbonAction, which checks that this PC can run gendan
' (SetupProblem), then runs the Python command named by the button's tag through xlwings' RunPython.
' gendan fills in the String constants below when it writes the VBA project
' (gendan_xl/xlsm/ribbon_vba.py): the version of gendan that wrote it, the commands and the
' messages, each non-ASCII character written \uXXXX (the source stays ASCII; Unescape reads it).
Option Explicit
Option Compare Binary

Public Const GENDAN_VERSION As String = ""
Private Const SETUP_COMMAND As String = ""
Private Const UPGRADE_COMMAND As String = ""
Private Const CHECK_COMMAND As String = ""
Private Const MSG_UNKNOWN_COMMAND As String = ""
Private Const MSG_NO_SETUP As String = ""
Private Const MSG_NO_INTERPRETER As String = ""
Private Const MSG_OTHER_XLWINGS As String = ""
Private Const MSG_RUN_FAILED As String = ""

Public Sub GendanRibbonAction(control As IRibbonControl)
    Dim cmdName As String, problem As String
    cmdName = control.Tag
    If Not IsSafeName(cmdName) Then
        MsgBox Unescape(MSG_UNKNOWN_COMMAND) & " " & cmdName, vbExclamation, "GendanXL"
        Exit Sub
    End If
    problem = SetupProblem()
    If problem <> "" Then
        MsgBox problem, vbExclamation, "GendanXL"
        Exit Sub
    End If
    On Error GoTo Failed
    RunPython "import gendan_xl.excel.ribbon as r; r.run('" & cmdName & "')"
    Exit Sub
Failed:
    MsgBox Unescape(MSG_RUN_FAILED) & vbLf & Err.Description & vbLf & vbLf & CommandFor(CHECK_COMMAND), _
        vbCritical, "GendanXL"
End Sub

' A command name is 1-64 ASCII letters, digits or underscores, so a tag cannot inject Python.
Private Function IsSafeName(ByVal cmdName As String) As Boolean
    If Len(cmdName) = 0 Or Len(cmdName) > 64 Then Exit Function
    IsSafeName = Not (cmdName Like "*[!A-Za-z0-9_]*")
End Function

' Why the buttons cannot run on this PC, with the command that fixes it ("" when they can): no
' Python set up for gendan in xlwings' settings (the xlwings.conf sheet, then the user's
' xlwings.conf file, as RunPython reads them), or, on Windows, that Python is gone or has another
' xlwings than these macros (they load xlwings' DLL of their own version from beside it).
Private Function SetupProblem() As String
    Dim interpreter As String
    #If Mac Then
        interpreter = GetConfig("INTERPRETER_MAC", "")
    #Else
        interpreter = GetConfig("INTERPRETER_WIN", "")
    #End If
    If interpreter = "" Then interpreter = GetConfig("INTERPRETER", "")
    If interpreter = "" Or interpreter = "python" Or interpreter = "pythonw" Then
        SetupProblem = Unescape(MSG_NO_SETUP) & vbLf & vbLf & SETUP_COMMAND
    Else
        SetupProblem = WindowsProblem(interpreter)
    End If
End Function

' Windows only: on macOS, Excel's sandbox cannot look at files outside it. xlwings' XLPyLoadDLL
' looks for its DLL beside the interpreter, then one folder up (a virtual environment's Scripts).
Private Function WindowsProblem(ByVal interpreter As String) As String
    #If Mac Then
        WindowsProblem = ""
    #Else
        Dim dll As String
        dll = XlwingsDll()
        If Not FileExists(interpreter) Then
            WindowsProblem = Unescape(MSG_NO_INTERPRETER) & vbLf & interpreter & vbLf & vbLf & SETUP_COMMAND
        ElseIf Not (FileExists(ParentFolder(interpreter) & "\" & dll) _
                    Or FileExists(ParentFolder(ParentFolder(interpreter)) & "\" & dll)) Then
            WindowsProblem = Replace(Unescape(MSG_OTHER_XLWINGS), "{version}", XLWINGS_VERSION) _
                & vbLf & vbLf & CommandFor(UPGRADE_COMMAND)
        End If
    #End If
End Function

' The DLL these macros' Declare statements name (the xlwings module's XLPyDLLName).
Private Function XlwingsDll() As String
    #If Win64 Then
        XlwingsDll = "xlwings64-" & XLWINGS_VERSION & ".dll"
    #Else
        XlwingsDll = "xlwings32-" & XLWINGS_VERSION & ".dll"
    #End If
End Function

' A gendan command on this workbook, its path in double quotes.
Private Function CommandFor(ByVal gendanCommand As String) As String
    CommandFor = gendanCommand & " """ & ThisWorkbook.FullName & """"
End Function

' A message constant as text: each \uXXXX (4 hex digits) becomes that UTF-16 character.
Private Function Unescape(ByVal text As String) As String
    Dim at As Long
    at = InStr(1, text, "\u")
    Do While at > 0
        text = Left$(text, at - 1) & ChrW(CLng("&H" & Mid$(text, at + 2, 4))) & Mid$(text, at + 6)
        at = InStr(at + 1, text, "\u")
    Loop
    Unescape = text
End Function
