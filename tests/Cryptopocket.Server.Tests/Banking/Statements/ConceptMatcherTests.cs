using Cryptopocket.Server.Features.Banking.Statements;

namespace Cryptopocket.Server.Tests.Banking.Statements;

public sealed class ConceptMatcherTests
{
    [Theory]
    [InlineData("120037", new long[] { 120037 })]
    [InlineData("CONCEPT 120038 Lucia Garcia", new long[] { 120038 })]
    [InlineData("Pedido 120040", new long[] { 120040 })]
    [InlineData("Ref. 120042 recarga", new long[] { 120042 })]
    [InlineData("REF:120038", new long[] { 120038 })]
    [InlineData("REF-120038/", new long[] { 120038 })]
    [InlineData("(120038)", new long[] { 120038 })]
    [InlineData("pedidos 120037,120038 y 120039.", new long[] { 120037, 120038, 120039 })]
    [InlineData("120038 otra vez 120038", new long[] { 120038 })]
    [InlineData("1234567890", new long[] { 1234567890 })]
    [InlineData("9999999999", new long[] { 9999999999 })]
    [InlineData("0000120038", new long[] { 120038 })]
    [InlineData("FACTURA 120041", new long[] { 120041 })]
    public void StandaloneNumbersOfSixToTenDigitsAreCandidates(string text, long[] expected)
    {
        Assert.Equal(expected, ConceptMatcher.FindCandidates(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("TRANSFERENCIA NOMINA")]
    // Too short / too long.
    [InlineData("12345")]
    [InlineData("12345678901")]
    // IBANs, compact or printed in groups of four, and a bare Spanish account number (CCC).
    [InlineData("ES9121000418450200051332")]
    [InlineData("DE89370400440532013000")]
    [InlineData("ES91 2100 0418 4502 0005 1332")]
    [InlineData("21000418450200051332")]
    // Digits glued to letters: the shape of IBANs, BICs, RF creditor references and bank ids (see remarks).
    [InlineData("REF120038")]
    [InlineData("120038ABC")]
    [InlineData("RF18539007547034")]
    [InlineData("pedido_120038")]
    // Non-ASCII digits next to the run make it part of a longer number.
    [InlineData("١120038")]
    public void NothingElseIsACandidate(string? text)
    {
        Assert.Empty(ConceptMatcher.FindCandidates(text));
    }

    [Fact]
    public void IbanNextToAConceptDoesNotHideIt()
    {
        var candidates = ConceptMatcher.FindCandidates("De ES9121000418450200051332 concepto 120038");

        Assert.Equal([120038L], candidates);
    }
}
