using System.Globalization;
using System.Text.RegularExpressions;

namespace Cryptopocket.Server.Features.Banking.Statements;

/// <summary>
/// Pulls the payment concepts (6–10 digit order numbers) a customer may have typed into the remittance text of a
/// transfer. These are only candidates: the caller must still check each one exists and that the amount matches.
/// </summary>
public static partial class ConceptMatcher
{
    /// <summary>
    /// Returns every standalone run of 6 to 10 ASCII digits, in order of first appearance and without repeats.
    /// </summary>
    /// <remarks>
    /// "Standalone" means a word of its own: no letter, digit or underscore directly before or after. Digits glued
    /// to letters (<c>"REF120038"</c>) are deliberately not matched: that is
    /// exactly the shape of IBANs (<c>"ES9121000418450200051332"</c>), creditor references (<c>"RF18…"</c>), BICs and
    /// card or mandate ids, which routinely sit in remittance text and contain 6–10 digit stretches that would be
    /// taken for concepts. Customers writing "REF 120038", "REF:120038" or "REF-120038" are matched. Longer digit
    /// runs (account numbers) are ignored as a whole instead of being mined for a 6–10 digit window. Punctuation
    /// separates words, so "120037,120038" yields both concepts; the price is that an amount such as "1500000,00"
    /// also comes back as a candidate, which the existence check discards, whereas a missed concept would leave a
    /// paid order unmatched.
    /// </remarks>
    public static IReadOnlyList<long> FindCandidates(string? remittanceInformation)
    {
        if (string.IsNullOrWhiteSpace(remittanceInformation))
        {
            return [];
        }

        var candidates = new List<long>();
        foreach (Match match in StandaloneNumber().Matches(remittanceInformation))
        {
            // At most ten digits, so it always fits in a long.
            var value = long.Parse(match.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
            if (!candidates.Contains(value))
            {
                candidates.Add(value);
            }
        }

        return candidates;
    }

    // Word boundaries written as lookarounds to make the intent explicit: no letter, digit (of any script) or
    // underscore may touch the run. Only ASCII digits are taken, so long.Parse never sees anything else.
    [GeneratedRegex(@"(?<!\w)[0-9]{6,10}(?!\w)", RegexOptions.CultureInvariant)]
    private static partial Regex StandaloneNumber();
}
