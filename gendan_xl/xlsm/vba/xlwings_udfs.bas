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

Function GD_CBM(length_cm, width_cm, height_cm, Optional cartons)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        GD_CBM = XLPy.CallUDF("gendan_xl.excel.udfs", "GD_CBM", Array(length_cm, width_cm, height_cm, cartons), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        GD_CBM = XLPy.CallUDF("gendan_xl.excel.udfs", "GD_CBM", Array(length_cm, width_cm, height_cm, cartons))
        Exit Function
    #End If
failed:
    GD_CBM = Err.Description
End Function

Function GD_CIF(fob, freight, insurance_rate)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        GD_CIF = XLPy.CallUDF("gendan_xl.excel.udfs", "GD_CIF", Array(fob, freight, insurance_rate), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        GD_CIF = XLPy.CallUDF("gendan_xl.excel.udfs", "GD_CIF", Array(fob, freight, insurance_rate))
        Exit Function
    #End If
failed:
    GD_CIF = Err.Description
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

Function GD_FOB(purchase_price, vat_rate, refund_rate, domestic_cost, profit_rate, bank_fee_rate, fx_rate)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        GD_FOB = XLPy.CallUDF("gendan_xl.excel.udfs", "GD_FOB", Array(purchase_price, vat_rate, refund_rate, domestic_cost, profit_rate, bank_fee_rate, fx_rate), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        GD_FOB = XLPy.CallUDF("gendan_xl.excel.udfs", "GD_FOB", Array(purchase_price, vat_rate, refund_rate, domestic_cost, profit_rate, bank_fee_rate, fx_rate))
        Exit Function
    #End If
failed:
    GD_FOB = Err.Description
End Function

Function GD_MAX_PURCHASE(target_price, incoterm, freight, insurance_rate, commission_rate, domestic_cost, profit_rate, bank_fee_rate, fx_rate, Optional vat_rate, Optional refund_rate)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        GD_MAX_PURCHASE = XLPy.CallUDF("gendan_xl.excel.udfs", "GD_MAX_PURCHASE", Array(target_price, incoterm, freight, insurance_rate, commission_rate, domestic_cost, profit_rate, bank_fee_rate, fx_rate, vat_rate, refund_rate), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        GD_MAX_PURCHASE = XLPy.CallUDF("gendan_xl.excel.udfs", "GD_MAX_PURCHASE", Array(target_price, incoterm, freight, insurance_rate, commission_rate, domestic_cost, profit_rate, bank_fee_rate, fx_rate, vat_rate, refund_rate))
        Exit Function
    #End If
failed:
    GD_MAX_PURCHASE = Err.Description
End Function

Function GD_QUOTE_PRICE(net_price, Optional commission_rate)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        GD_QUOTE_PRICE = XLPy.CallUDF("gendan_xl.excel.udfs", "GD_QUOTE_PRICE", Array(net_price, commission_rate), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        GD_QUOTE_PRICE = XLPy.CallUDF("gendan_xl.excel.udfs", "GD_QUOTE_PRICE", Array(net_price, commission_rate))
        Exit Function
    #End If
failed:
    GD_QUOTE_PRICE = Err.Description
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

