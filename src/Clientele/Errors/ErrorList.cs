using System.Runtime.CompilerServices;

namespace Clientele.Errors;

/// <summary>
/// The failures of one request as its validators find them. An answer lists at most <see cref="MaxEntries"/>
/// (spec §6): the first ones are kept, the rest only counted, so a 1 MiB body of wrong values costs a hundred
/// entries, not a 38 MB answer built from half a million of them.
/// </summary>
public sealed class ErrorList
{
    public const int MaxEntries = 100;

    public const string TooManyErrors = "too_many_errors";

    private readonly List<ApiError> _kept = [];

    /// <summary>Every failure added, kept or not: readers compare it before and after to learn whether a value failed.</summary>
    public int Count { get; private set; }

    /// <summary>Past this nothing added is shown, so its code need not be built (<see cref="Code"/>).</summary>
    public bool IsFull => _kept.Count == MaxEntries;

    public void Add(string code, string message)
    {
        Count++;
        if (!IsFull)
        {
            _kept.Add(new ApiError(code, message));
        }
    }

    /// <summary>A failure whose code is an interpolated path (<c>$"{code}.name"</c>), formatted only while it can be shown.</summary>
    public void Add([InterpolatedStringHandlerArgument("")] ref ErrorCodeBuilder code, string message) => Add(code.ToStringAndClear(), message);

    /// <summary>
    /// A code made from the path to a value, built only while it can still be shown: a reader names every item
    /// it visits, and past the cap that would be a string per item of a huge array for nothing.
    /// </summary>
    public string Code([InterpolatedStringHandlerArgument("")] ref ErrorCodeBuilder code) => code.ToStringAndClear();

    /// <summary>The envelope; past the cap its last entry says how many failures were left out.</summary>
    public ErrorEnvelope ToEnvelope()
    {
        if (Count <= MaxEntries)
        {
            return new ErrorEnvelope([.. _kept]);
        }
        var shown = _kept.Take(MaxEntries - 1).ToList();
        shown.Add(new ApiError(TooManyErrors, $"{Count - shown.Count} more errors were left out."));
        return new ErrorEnvelope(shown);
    }
}
