using System.Numerics;
using Cryptopocket.Server.Features.Settlement;
using Cryptopocket.Server.Features.Settlement.Evm;

namespace Cryptopocket.Server.Tests.Settlement;

public sealed class EvmEncodingTests
{
    [Fact]
    public void TransferCallDataIsTheSelectorThenTwoWords()
    {
        var data = Erc20.EncodeTransfer("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", 1_000_000);

        Assert.Equal(
            "0xa9059cbb" +
            "0000000000000000000000005aaeb6053f3e94c9b9a09f33669435e7ef1beaed" +
            "00000000000000000000000000000000000000000000000000000000000f4240",
            data);
    }

    [Fact]
    public void TheTransferEventTopicIsTheWellKnownOne() =>
        Assert.Equal("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef", Erc20.TransferTopic);

    [Theory]
    [InlineData("105.597826", 6, "105597826")]
    [InlineData("0.0335", 18, "33500000000000000")]
    [InlineData("15000", 6, "15000000000")]
    [InlineData("0", 6, "0")]
    public void BaseUnitsAreExact(string amount, int decimals, string expected)
    {
        var value = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(BigInteger.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), BaseUnits.From(value, decimals));
        Assert.Equal(value, BaseUnits.ToAmount(BaseUnits.From(value, decimals), decimals));
    }

    [Fact]
    public void TrailingZerosOfADecimalsScaleAreNotDigits() =>
        Assert.Equal(new BigInteger(108_043_478), BaseUnits.From(108.043478000000000000m, 6));

    [Fact]
    public void MorePrecisionThanTheAssetHasIsRefused() =>
        Assert.Throws<ArgumentException>(() => BaseUnits.From(1.0000001m, 6));

    [Theory]
    [InlineData("0x0", 0)]
    [InlineData("0x1a", 26)]
    [InlineData("0xff", 255)]
    public void QuantitiesRoundTrip(string hex, long value)
    {
        Assert.Equal(value, (long)Hex.ParseQuantity(hex));
        Assert.Equal(hex, Hex.Quantity(value));
    }

    [Fact]
    public void AQuantityWithTheTopBitSetIsNotNegative() =>
        Assert.Equal(BigInteger.Pow(2, 255), Hex.ParseQuantity("0x8000000000000000000000000000000000000000000000000000000000000000"));
}
