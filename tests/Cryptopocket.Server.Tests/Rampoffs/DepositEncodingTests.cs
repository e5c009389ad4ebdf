using System.Numerics;
using Cryptopocket.Server.Features.Payments.Wallets;
using Cryptopocket.Server.Features.Rampoffs.Deposits;
using Cryptopocket.Server.Features.Settlement.Evm;

namespace Cryptopocket.Server.Tests.Rampoffs;

/// <summary>
/// Deposit addresses and the DepositFactory ABI without a chain: published CREATE2 vectors and byte-exact encodings
/// (the expected bytes were produced independently, with ethers and the compiled ABI).
/// </summary>
public sealed class DepositEncodingTests
{
    [Fact]
    public void SaltIsTheKeccakOfTheUtf8Id()
    {
        // keccak256("abc"), the published Keccak-256 test value; and an id computed independently with ethers' id().
        Assert.Equal("0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45", DepositAddresses.SaltFor("abc"));
        Assert.Equal("0x79f5830eba0d96f926d2bb58f16500e4073cd5b8a6c64e0bc9b340abffd38e4c", DepositAddresses.SaltFor("op-1"));
    }

    /// <summary>The examples published in EIP-1014 (address, salt, init code → CREATE2 address).</summary>
    [Theory]
    [InlineData("0x0000000000000000000000000000000000000000", "0x0000000000000000000000000000000000000000000000000000000000000000", "0x00", "0x4D1A2e2bB4F88F0250f26Ffff098B0b30B26BF38")]
    [InlineData("0xdeadbeef00000000000000000000000000000000", "0x0000000000000000000000000000000000000000000000000000000000000000", "0x00", "0xB928f69Bb1D91Cd65274e3c79d8986362984fDA3")]
    [InlineData("0xdeadbeef00000000000000000000000000000000", "0x000000000000000000000000feed000000000000000000000000000000000000", "0x00", "0xD04116cDd17beBE565EB2422F2497E06cC1C9833")]
    [InlineData("0x0000000000000000000000000000000000000000", "0x0000000000000000000000000000000000000000000000000000000000000000", "0xdeadbeef", "0x70f2b2914A2a4b783FaEFb75f459A580616Fcb5e")]
    [InlineData("0x00000000000000000000000000000000deadbeef", "0x00000000000000000000000000000000000000000000000000000000cafebabe", "0xdeadbeef", "0x60f3f640a8508fC6a86d45DF051962668E1e8AC7")]
    [InlineData("0x00000000000000000000000000000000deadbeef", "0x00000000000000000000000000000000000000000000000000000000cafebabe",
        "0xdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef", "0x1d8bfDC5D46DC4f61D6b6115972536eBE6A8854C")]
    [InlineData("0x0000000000000000000000000000000000000000", "0x0000000000000000000000000000000000000000000000000000000000000000", "0x", "0xE33C0C7F7df4809055C3ebA6c09CFe4BaF1BD9e0")]
    public void Create2AddressesMatchEip1014(string deployer, string salt, string initCode, string expected) =>
        Assert.Equal(expected, DepositAddresses.Compute(deployer, salt, Hex.Data(Keccak256.Hash(Hex.ParseData(initCode)))));

    [Fact]
    public void ComputeRefusesASaltOrCodeHashThatIsNot32Bytes()
    {
        var word = "0x" + new string('0', 64);
        Assert.Throws<ArgumentException>(() => DepositAddresses.Compute("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0x00", word));
        Assert.Throws<ArgumentException>(() => DepositAddresses.Compute("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", word, word + "00"));
        Assert.Throws<ArgumentException>(() => DepositAddresses.Compute("0x1234", word, word));
    }

    private const string Salt = "0x79f5830eba0d96f926d2bb58f16500e4073cd5b8a6c64e0bc9b340abffd38e4c";

    /// <summary>Expected bytes produced independently by ethers' Interface.encodeFunctionData with the compiled ABI.</summary>
    [Fact]
    public void TheEncodersProduceTheKnownAbiBytes()
    {
        Assert.Equal(
            "0x2c4f2993" + Salt[2..] +
            "0000000000000000000000000000000000000000000000000000000000000040" +
            "0000000000000000000000000000000000000000000000000000000000000002" +
            "0000000000000000000000005aaeb6053f3e94c9b9a09f33669435e7ef1beaed" +
            "000000000000000000000000fb6916095ca1df60bb79ce92ce3ea74c37c5d359",
            DepositFactoryAbi.EncodeSweep(Salt, ["0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359"]));
        Assert.Equal(
            "0x2c4f2993" + Salt[2..] +
            "0000000000000000000000000000000000000000000000000000000000000040" +
            "0000000000000000000000000000000000000000000000000000000000000000",
            DepositFactoryAbi.EncodeSweep(Salt, []));
        Assert.Equal("0x31eecaf4" + Salt[2..], DepositFactoryAbi.EncodeDepositAddress(Salt));
        Assert.Equal("0x96beb9d7", DepositFactoryAbi.EncodeForwarderCodeHash());
        Assert.Equal("0x0000000000000000000000005aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
            Hex.Data(DepositFactoryAbi.EncodeConstructor("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")));
        Assert.Equal("0x43a46ac5237b9605f9ffdc5ca9e3ada3bea496bd00815441705ff59446129fb1", DepositFactoryAbi.FlushedTopic);
    }

    [Fact]
    public void ReadFlushedKeepsOnlyTheDepositAddresssFlushedEvents()
    {
        const string deposit = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
        const string token = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359";
        static string Word(BigInteger value) => "0x" + value.ToString("x64", System.Globalization.CultureInfo.InvariantCulture);
        static string TopicOf(string address) => "0x" + new string('0', 24) + address[2..].ToLowerInvariant();
        EvmLog Log(string emitter, string topic0, string indexed, BigInteger amount, int index) =>
            new(emitter, [topic0, TopicOf(indexed)], Word(amount), index, 7, "0xabc");

        var logs = new[]
        {
            // The token's own Transfer log of the same transaction, emitted by the token contract.
            new EvmLog(token, [Erc20.TransferTopic, TopicOf(deposit), TopicOf(token)], Word(5), 0, 7, "0xabc"),
            Log(deposit.ToLowerInvariant(), DepositFactoryAbi.FlushedTopic, token, 5, 1),
            // A look-alike Flushed event from some other contract.
            Log(token, DepositFactoryAbi.FlushedTopic, token, 999, 2),
            Log(deposit, DepositFactoryAbi.FlushedTopic, "0x0000000000000000000000000000000000000000", BigInteger.Pow(10, 18), 3),
        };

        Assert.Equal([new FlushedAmount(token, 5), new FlushedAmount(null, BigInteger.Pow(10, 18))], DepositFactoryAbi.ReadFlushed(logs, deposit));
    }
}
