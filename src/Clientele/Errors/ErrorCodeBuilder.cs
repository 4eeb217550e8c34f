using System.Runtime.CompilerServices;

namespace Clientele.Errors;

/// <summary>
/// Builds an error code from an interpolated string only while <see cref="ErrorList"/> can still show it; once the
/// list is full the pieces are never formatted (the compiler skips them) and the code is empty.
/// </summary>
[InterpolatedStringHandler]
public ref struct ErrorCodeBuilder
{
    private DefaultInterpolatedStringHandler _text;
    private readonly bool _skipped;

    public ErrorCodeBuilder(int literalLength, int formattedCount, ErrorList errors, out bool shouldAppend)
    {
        _skipped = errors.IsFull;
        shouldAppend = !_skipped;
        _text = _skipped ? default : new DefaultInterpolatedStringHandler(literalLength, formattedCount);
    }

    public void AppendLiteral(string value) => _text.AppendLiteral(value);

    public void AppendFormatted(string? value) => _text.AppendFormatted(value);

    public void AppendFormatted(int value) => _text.AppendFormatted(value);

    public string ToStringAndClear() => _skipped ? "" : _text.ToStringAndClear();
}
