namespace Clientele.Transfer;

/// <summary>
/// OWASP's defence against CSV (formula) injection: a cell a spreadsheet would run as a formula, one that starts with
/// <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return, is exported with a leading <c>'</c>, which
/// spreadsheets show as text and hide. A cell that starts with <c>'</c> itself gets one more, so the rule reverses
/// without doubt: import takes exactly one leading <c>'</c> off every cell, and an export imports back whole.
/// </summary>
public static class CsvFormulas
{
    public static string? Escape(string? cell) =>
        cell is { Length: > 0 } && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\'' ? "'" + cell : cell;

    public static string Unescape(string cell) => cell.StartsWith('\'') ? cell[1..] : cell;
}
