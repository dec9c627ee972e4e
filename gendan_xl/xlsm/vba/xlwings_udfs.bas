Attribute VB_Name = "xlwings_udfs"
'Written by gendan from gendan_xl.excel.udfs, as xlwings' Import Functions writes it;
'gendan rewrites it with the rest of the VBA project: do not edit.
#Const App = "Microsoft Excel" 'Adjust when using outside of Excel
Function GD_ADD_WORKDAYS(start_date, days, Optional country)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        GD_ADD_WORKDAYS = XLPy.CallUDF("gendan_xl.excel.udfs", "GD_ADD_WORKDAYS", Array(start_date, days, country), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        GD_ADD_WORKDAYS = XLPy.CallUDF("gendan_xl.excel.udfs", "GD_ADD_WORKDAYS", Array(start_date, days, country))
        Exit Function
    #End If
failed:
    GD_ADD_WORKDAYS = Err.Description
End Function

Function GD_FLAG(due, done, qty, shipped_qty, Optional as_of, Optional country)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        GD_FLAG = XLPy.CallUDF("gendan_xl.excel.udfs", "GD_FLAG", Array(due, done, qty, shipped_qty, as_of, country), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        GD_FLAG = XLPy.CallUDF("gendan_xl.excel.udfs", "GD_FLAG", Array(due, done, qty, shipped_qty, as_of, country))
        Exit Function
    #End If
failed:
    GD_FLAG = Err.Description
End Function

Function GD_RISK(supplier, customer, due, ship, Optional as_of, Optional country)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        GD_RISK = XLPy.CallUDF("gendan_xl.excel.udfs", "GD_RISK", Array(supplier, customer, due, ship, as_of, country), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        GD_RISK = XLPy.CallUDF("gendan_xl.excel.udfs", "GD_RISK", Array(supplier, customer, due, ship, as_of, country))
        Exit Function
    #End If
failed:
    GD_RISK = Err.Description
End Function

Function GD_SLACK(due, done, Optional country)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        GD_SLACK = XLPy.CallUDF("gendan_xl.excel.udfs", "GD_SLACK", Array(due, done, country), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        GD_SLACK = XLPy.CallUDF("gendan_xl.excel.udfs", "GD_SLACK", Array(due, done, country))
        Exit Function
    #End If
failed:
    GD_SLACK = Err.Description
End Function

Function GD_WORKDAYS(start_date, end_date, Optional country)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        GD_WORKDAYS = XLPy.CallUDF("gendan_xl.excel.udfs", "GD_WORKDAYS", Array(start_date, end_date, country), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        GD_WORKDAYS = XLPy.CallUDF("gendan_xl.excel.udfs", "GD_WORKDAYS", Array(start_date, end_date, country))
        Exit Function
    #End If
failed:
    GD_WORKDAYS = Err.Description
End Function

