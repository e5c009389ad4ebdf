using Cryptopocket.Server.Features.Payments.Wallets;

namespace Cryptopocket.Server.Tests.Payments.Wallets;

public sealed class EvmAddressTests
{
    private const string FormatError = "The wallet field must be a 0x-prefixed 20-byte hexadecimal address.";
    private const string ChecksumError = "The wallet address has an invalid EIP-55 checksum.";
    private const string ZeroAddressError = "The wallet address must not be the zero address.";
    private const string RequiredError = "The wallet field is required.";

    // The test cases of EIP-55 itself ("Test Cases": all caps, all lower, normal). The first four are addresses
    // whose checksum happens to leave every letter in one case, which is why the spec lists them.
    public static TheoryData<string> Eip55Vectors =>
    [
        "0x52908400098527886E0F7030069857D2E4169EE7",
        "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        "0xde709f2102306220921060314715629080e2fb77",
        "0x27b1fdb04752bbc536007a920d24acb045561c26",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ];

    [Theory]
    [MemberData(nameof(Eip55Vectors))]
    public void AcceptsTheEip55VectorsAndNormalisesThemToThemselves(string address)
    {
        var check = EvmAddress.Validate(address);

        Assert.Equal(new EvmAddressCheck(true, address, null), check);
    }

    [Theory]
    [MemberData(nameof(Eip55Vectors))]
    public void ChecksumsTheLowercaseFormToTheEip55Vector(string address)
    {
        Assert.Equal(address, EvmAddress.ToChecksum(address.ToLowerInvariant()));
    }

    [Theory]
    [MemberData(nameof(Eip55Vectors))]
    public void ChecksumsAddressesWithoutThePrefixOrInCapitals(string address)
    {
        var hex = address[2..];

        Assert.Equal(address, EvmAddress.ToChecksum(hex.ToLowerInvariant()));
        Assert.Equal(address, EvmAddress.ToChecksum(hex.ToUpperInvariant()));
        Assert.Equal(address, EvmAddress.ToChecksum("0x" + hex.ToUpperInvariant()));
    }

    [Theory]
    [MemberData(nameof(Eip55Vectors))]
    public void AcceptsSingleCaseFormsBecauseTheyCarryNoChecksum(string address)
    {
        var hex = address[2..];

        Assert.Equal(new EvmAddressCheck(true, address, null), EvmAddress.Validate("0x" + hex.ToLowerInvariant()));
        Assert.Equal(new EvmAddressCheck(true, address, null), EvmAddress.Validate("0x" + hex.ToUpperInvariant()));
    }

    [Theory]
    [MemberData(nameof(Eip55Vectors))]
    public void RefusesTheVectorWithAnyOneLetterInTheOtherCase(string address)
    {
        for (var i = 2; i < address.Length; i++)
        {
            if (!char.IsAsciiLetter(address[i]))
            {
                continue;
            }

            var flipped = address[i] is >= 'a' and <= 'f' ? char.ToUpperInvariant(address[i]) : char.ToLowerInvariant(address[i]);
            var typo = string.Concat(address.AsSpan(0, i), [flipped], address.AsSpan(i + 1));

            // A single-case result would carry no checksum and be accepted by design; every vector has enough
            // letters that one flip always leaves mixed case.
            Assert.True(typo.Any(char.IsAsciiLetterUpper) && typo[2..].Any(char.IsAsciiLetterLower), typo);
            Assert.Equal(new EvmAddressCheck(false, null, ChecksumError), EvmAddress.Validate(typo));
        }
    }

    [Fact]
    public void RefusesTheZeroAddressBecauseCoinsSentThereAreBurned()
    {
        Assert.Equal(
            new EvmAddressCheck(false, null, ZeroAddressError),
            EvmAddress.Validate("0x0000000000000000000000000000000000000000"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\t\n")]
    public void AsksForTheFieldWhenItIsBlank(string? input)
    {
        Assert.Equal(new EvmAddressCheck(false, null, RequiredError), EvmAddress.Validate(input));
    }

    [Theory]
    // Wrong lengths: 39, 41 and 42 hex digits, and the prefix alone.
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed0")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed00")]
    [InlineData("0x")]
    // A 32-byte value (a transaction hash or a private key) pasted by mistake.
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed5aaeb6053f3e94c9b9a09f33")]
    // Missing or misspelt prefix.
    [InlineData("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("005aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0X5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("x05aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe")]
    // Non-hex characters, including a full-width digit that char.IsDigit would accept.
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeG")]
    [InlineData("0xZaAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe１")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA-d")]
    // Whitespace is refused, not trimmed.
    [InlineData(" 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed ")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f3366 435E7Ef1BeAed")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe\n")]
    // ENS names and other chains' addresses are not EVM addresses.
    [InlineData("vitalik.eth")]
    [InlineData("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")]
    public void RefusesAnythingThatIsNotZeroXAndFortyHexDigits(string input)
    {
        Assert.Equal(new EvmAddressCheck(false, null, FormatError), EvmAddress.Validate(input));
    }

    [Fact]
    public void ChecksumsTheSameAddressWhateverTheInputCase()
    {
        // ToChecksum computes a checksum; it is Validate that decides whether a mixed-case input was right.
        Assert.Equal(
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
            EvmAddress.ToChecksum("0x5AaEB6053f3e94c9B9a09F33669435e7eF1bEaED"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAedd")]
    [InlineData("0x0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg")]
    [InlineData(" 5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    public void ToChecksumRefusesInputThatIsNotFortyHexDigits(string input)
    {
        Assert.Throws<ArgumentException>("address40HexOrWith0x", () => EvmAddress.ToChecksum(input));
    }

    [Fact]
    public void ToChecksumRefusesNull()
    {
        Assert.Throws<ArgumentNullException>("address40HexOrWith0x", () => EvmAddress.ToChecksum(null!));
    }
}
