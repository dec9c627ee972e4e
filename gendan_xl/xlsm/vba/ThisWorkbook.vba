' Written by gendan from gendan_xl.excel.udfs: the help of its worksheet functions in Excel's
' Insert Function and Function Arguments dialogs. gendan rewrites it: do not edit.
Option Explicit

Private Sub Workbook_Open()
    RegisterGendanFunctions
End Sub

' Registering marks the workbook changed; it is put back as it was, so closing asks nothing new.
Private Sub RegisterGendanFunctions()
    Dim wasSaved As Boolean
    On Error Resume Next
    wasSaved = ThisWorkbook.Saved
    Describe "GD_SLACK", _
        ChrW(&H4F59&) & ChrW(&H91CF&) & "(" & ChrW(&H5DE5&) & ChrW(&H4F5C&) & ChrW(&H65E5&) & ") Slack: working days from done (completion) to due, in the country's calendar.", _
        Array(ChrW(&H4EA4&) & ChrW(&H671F&) & " due date", _
              ChrW(&H5B8C&) & ChrW(&H6210&) & ChrW(&H65E5&) & " completion: ship date or ETA", _
              ChrW(&H56FD&) & ChrW(&H5BB6&) & " calendar country (blank: CN)")
    Describe "GD_WORKDAYS", _
        ChrW(&H5DE5&) & ChrW(&H4F5C&) & ChrW(&H65E5&) & ChrW(&H6570&) & " Working days from start_date to end_date: those in [start_date, end_date), negative when end_date is earlier.", _
        Array(ChrW(&H5F00&) & ChrW(&H59CB&) & ChrW(&H65E5&) & " start date", _
              ChrW(&H7ED3&) & ChrW(&H675F&) & ChrW(&H65E5&) & " end date", _
              ChrW(&H56FD&) & ChrW(&H5BB6&) & " calendar country (blank: CN)")
    Describe "GD_ADD_WORKDAYS", _
        ChrW(&H52A0&) & ChrW(&H5DE5&) & ChrW(&H4F5C&) & ChrW(&H65E5&) & " start_date plus days working days (days < 0: minus); a non-working start_date first rolls forward to the next working day (so days = 0 gives the next working day).", _
        Array(ChrW(&H5F00&) & ChrW(&H59CB&) & ChrW(&H65E5&) & " start date", _
              ChrW(&H5DE5&) & ChrW(&H4F5C&) & ChrW(&H65E5&) & ChrW(&H6570&) & " working days (negative: before)", _
              ChrW(&H56FD&) & ChrW(&H5BB6&) & " calendar country (blank: CN)")
    Describe "GD_FLAG", _
        ChrW(&H9884&) & ChrW(&H8B66&) & " Flag of an order line, e.g. 'LATE " & ChrW(&H5DF2&) & ChrW(&H5EF6&) & ChrW(&H8BEF&) & "'. done: the ship date of a fully shipped line (a date after as_of is not shipped yet then: its ETA), else its ETA; shipped_qty blank = nothing shipped; as_of blank = today. Default settings.", _
        Array(ChrW(&H4EA4&) & ChrW(&H671F&) & " due date", _
              ChrW(&H51FA&) & ChrW(&H8D27&) & ChrW(&H65E5&) & ChrW(&H671F&) & ChrW(&H6216&) & ChrW(&H9884&) & ChrW(&H8BA1&) & ChrW(&H5B8C&) & ChrW(&H6210&) & " ship date, else ETA", _
              ChrW(&H6570&) & ChrW(&H91CF&) & " qty", _
              ChrW(&H51FA&) & ChrW(&H8D27&) & ChrW(&H6570&) & ChrW(&H91CF&) & " shipped qty (blank: 0)", _
              ChrW(&H622A&) & ChrW(&H81F3&) & ChrW(&H65E5&) & ChrW(&H671F&) & " as-of date (blank: today)", _
              ChrW(&H56FD&) & ChrW(&H5BB6&) & " calendar country (blank: CN)")
    Describe "GD_RISK", _
        ChrW(&H5EF6&) & ChrW(&H8BEF&) & ChrW(&H98CE&) & ChrW(&H9669&) & " Late risk (0" & ChrW(&H2013&) & "1) of every open line (no ship date before as_of) of these columns, learned from their lines shipped before as_of; blank for a shipped line, a line without a due date, or when the history is too short.", _
        Array(ChrW(&H4F9B&) & ChrW(&H5E94&) & ChrW(&H5546&) & " supplier", _
              ChrW(&H5BA2&) & ChrW(&H6237&) & " customer", _
              ChrW(&H4EA4&) & ChrW(&H671F&) & " due date", _
              ChrW(&H51FA&) & ChrW(&H8D27&) & ChrW(&H65E5&) & ChrW(&H671F&) & " ship date (blank: open)", _
              ChrW(&H622A&) & ChrW(&H81F3&) & ChrW(&H65E5&) & ChrW(&H671F&) & " as-of date (blank: today)", _
              ChrW(&H4F9B&) & ChrW(&H5E94&) & ChrW(&H5546&) & ChrW(&H56FD&) & ChrW(&H5BB6&) & " supplier country (blank: CN)")
    Describe "GD_FOB", _
        "FOB" & ChrW(&H4EF7&) & " FOB net price per piece in the quote currency: (purchase price " & ChrW(&H2212&) & " export refund + domestic cost) " & ChrW(&H00F7&) & " (1 " & ChrW(&H2212&) & " profit rate " & ChrW(&H2212&) & " bank fee rate) " & ChrW(&H00F7&) & " fx rate.", _
        Array(ChrW(&H542B&) & ChrW(&H7A0E&) & ChrW(&H91C7&) & ChrW(&H8D2D&) & ChrW(&H5355&) & ChrW(&H4EF7&) & " purchase price, CNY per piece incl. VAT", _
              ChrW(&H589E&) & ChrW(&H503C&) & ChrW(&H7A0E&) & ChrW(&H7387&) & " VAT rate: 13%, 0.13 or 13 (blank: 13 %)", _
              ChrW(&H51FA&) & ChrW(&H53E3&) & ChrW(&H9000&) & ChrW(&H7A0E&) & ChrW(&H7387&) & " export refund rate (blank: 13 %)", _
              ChrW(&H56FD&) & ChrW(&H5185&) & ChrW(&H8D39&) & ChrW(&H7528&) & " domestic cost, CNY per piece (type 0 for none)", _
              ChrW(&H5229&) & ChrW(&H6DA6&) & ChrW(&H7387&) & " profit rate, a share of the FOB price", _
              ChrW(&H94F6&) & ChrW(&H884C&) & ChrW(&H8D39&) & ChrW(&H7387&) & " bank fee rate, a share of the FOB price (blank: 0 %)", _
              ChrW(&H6C47&) & ChrW(&H7387&) & " fx rate: CNY per 1 unit of the quote currency (bank buying rate), e.g. 7.05")
    Describe "GD_CIF", _
        "CIF" & ChrW(&H4EF7&) & " CIF net price: (FOB + freight) " & ChrW(&H00F7&) & " (1 " & ChrW(&H2212&) & " 110 % " & ChrW(&H00D7&) & " insurance rate); freight and insurance pass through without margin.", _
        Array("FOB" & ChrW(&H4EF7&) & " FOB net price", _
              ChrW(&H8FD0&) & ChrW(&H8D39&) & " freight per piece, in the quote currency", _
              ChrW(&H4FDD&) & ChrW(&H9669&) & ChrW(&H8D39&) & ChrW(&H7387&) & " insurance rate: 13%, 0.13 or 13 (insured at 110 % of CIF)")
    Describe "GD_QUOTE_PRICE", _
        ChrW(&H542B&) & ChrW(&H4F63&) & ChrW(&H4EF7&) & " Price with commission: the net price (FOB, CFR or CIF) " & ChrW(&H00F7&) & " (1 " & ChrW(&H2212&) & " commission rate), e.g. CIFC3 at 3 %.", _
        Array(ChrW(&H51C0&) & ChrW(&H4EF7&) & " net price (FOB, CFR or CIF)", _
              ChrW(&H4F63&) & ChrW(&H91D1&) & ChrW(&H7387&) & " commission rate (blank: 0 %)")
    Describe "GD_MAX_PURCHASE", _
        ChrW(&H6700&) & ChrW(&H9AD8&) & ChrW(&H91C7&) & ChrW(&H8D2D&) & ChrW(&H4EF7&) & " " & ChrW(&H5012&) & ChrW(&H63A8&) & " Max purchase price (CNY incl. VAT) that still earns the profit at the buyer's target price in its incoterm; 0 or below: the target is too low at any purchase price.", _
        Array(ChrW(&H76EE&) & ChrW(&H6807&) & ChrW(&H4EF7&) & " the buyer's target price, with commission, in the quote currency", _
              ChrW(&H8D38&) & ChrW(&H6613&) & ChrW(&H672F&) & ChrW(&H8BED&) & " incoterm: FOB, CFR, CIF (FCA, CPT, CIP as FOB, CFR, CIF)", _
              ChrW(&H8FD0&) & ChrW(&H8D39&) & " freight per piece (CFR, CIF; FOB: not used)", _
              ChrW(&H4FDD&) & ChrW(&H9669&) & ChrW(&H8D39&) & ChrW(&H7387&) & " insurance rate (CIF; insured at 110 % of CIF)", _
              ChrW(&H4F63&) & ChrW(&H91D1&) & ChrW(&H7387&) & " commission rate (blank: 0 %)", _
              ChrW(&H56FD&) & ChrW(&H5185&) & ChrW(&H8D39&) & ChrW(&H7528&) & " domestic cost, CNY per piece (type 0 for none)", _
              ChrW(&H5229&) & ChrW(&H6DA6&) & ChrW(&H7387&) & " profit rate, a share of the FOB price", _
              ChrW(&H94F6&) & ChrW(&H884C&) & ChrW(&H8D39&) & ChrW(&H7387&) & " bank fee rate, a share of the FOB price (blank: 0 %)", _
              ChrW(&H6C47&) & ChrW(&H7387&) & " fx rate: CNY per 1 unit of the quote currency (bank buying rate), e.g. 7.05", _
              ChrW(&H589E&) & ChrW(&H503C&) & ChrW(&H7A0E&) & ChrW(&H7387&) & " VAT rate: 13%, 0.13 or 13 (blank: 13 %)", _
              ChrW(&H51FA&) & ChrW(&H53E3&) & ChrW(&H9000&) & ChrW(&H7A0E&) & ChrW(&H7387&) & " export refund rate (blank: 13 %)")
    Describe "GD_CBM", _
        ChrW(&H4F53&) & ChrW(&H79EF&) & " CBM in m" & ChrW(&H00B3&) & ": one carton's length " & ChrW(&H00D7&) & " width " & ChrW(&H00D7&) & " height (cm) " & ChrW(&H00F7&) & " 1,000,000, rounded to 3 decimals as packing lists print it, " & ChrW(&H00D7&) & " cartons.", _
        Array(ChrW(&H957F&) & " carton length, cm", _
              ChrW(&H5BBD&) & " carton width, cm", _
              ChrW(&H9AD8&) & " carton height, cm", _
              ChrW(&H7BB1&) & ChrW(&H6570&) & " cartons (blank: one carton)")
    ThisWorkbook.Saved = wasSaved
End Sub

' Late bound, so an Excel without ArgumentDescriptions (before 2010) raises a run-time error
' here instead of failing to compile; then the description goes alone. No failure (macros
' disabled for the call, a protected workbook) ever reaches the user.
Private Sub Describe(ByVal functionName As String, ByVal helpText As String, _
                     ByVal argumentHelp As Variant)
    Dim app As Object, qualified As String, group As String
    On Error Resume Next
    Set app = Application
    qualified = "'" & Replace(ThisWorkbook.Name, "'", "''") & "'!" & functionName
    group = ChrW(&H8DDF&) & ChrW(&H5355&) & " Gendan"
    app.MacroOptions Macro:=qualified, Description:=helpText, Category:=group, _
        ArgumentDescriptions:=argumentHelp
    If Err.Number <> 0 Then
        Err.Clear
        app.MacroOptions Macro:=qualified, Description:=helpText, Category:=group
    End If
End Sub
