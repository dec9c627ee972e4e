Attribute VB_Name = "GendanRibbon"
' GendanXL ribbon: every button calls GendanRibbonAction, which runs the Python
' command named by the button's tag through xlwings' RunPython.
Option Explicit
Option Compare Binary

Public Sub GendanRibbonAction(control As IRibbonControl)
    Dim cmdName As String
    cmdName = control.Tag
    If Not IsSafeName(cmdName) Then
        MsgBox "Unknown ribbon command: " & cmdName, vbExclamation, "GendanXL"
        Exit Sub
    End If
    RunPython "import gendan_xl.excel.ribbon as r; r.run('" & cmdName & "')"
End Sub

' A command name is 1-64 ASCII letters, digits or underscores, so a tag cannot inject Python.
Private Function IsSafeName(ByVal cmdName As String) As Boolean
    If Len(cmdName) = 0 Or Len(cmdName) > 64 Then Exit Function
    IsSafeName = Not (cmdName Like "*[!A-Za-z0-9_]*")
End Function
