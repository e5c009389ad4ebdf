using Cryptopocket.Server.Features.Customers.Identity;
using Xunit;

namespace Cryptopocket.Server.Tests.Customers.Identity;

public sealed class DisposableEmailDomainsTests
{
    [Theory]
    [InlineData("someone@mailinator.com")]
    [InlineData("someone@guerrillamail.com")]
    [InlineData("someone@10minutemail.com")]
    [InlineData("someone@yopmail.com")]
    [InlineData("someone@temp-mail.org")]
    [InlineData("someone@trashmail.com")]
    [InlineData("SomeOne@YOPMAIL.FR")]
    [InlineData("  someone@sharklasers.com  ")]
    [InlineData("someone@maildrop.cc.")] // fully-qualified form with the root dot
    public void DisposableEmailDomainIsDetected(string email)
    {
        Assert.True(DisposableEmailDomains.IsDisposable(email));
    }

    [Theory]
    [InlineData("someone@inbox.mailinator.com")]
    [InlineData("someone@a.b.guerrillamail.net")]
    public void DisposableEmailDomainMatchesParentDomains(string email)
    {
        Assert.True(DisposableEmailDomains.IsDisposable(email));
    }

    [Theory]
    [InlineData("\"weird@local\"@yopmail.com")]
    public void DisposableEmailDomainUsesTheLastAtSign(string email)
    {
        Assert.True(DisposableEmailDomains.IsDisposable(email));
    }

    [Theory]
    [InlineData("someone@gmail.com")]
    [InlineData("someone@outlook.es")]
    [InlineData("someone@cryptopocket.com")]
    [InlineData("someone@myyopmail.com")] // only whole labels match: not a subdomain of yopmail.com
    [InlineData("someone@mailinator.com.example.org")] // disposable domain as a prefix is not a parent
    [InlineData("someone@com")]
    public void RegularEmailDomainIsNotDisposable(string email)
    {
        Assert.False(DisposableEmailDomains.IsDisposable(email));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("mailinator.com")] // no '@': not an address
    [InlineData("someone@")]
    public void MalformedInputIsNotDisposable(string email)
    {
        Assert.False(DisposableEmailDomains.IsDisposable(email));
    }
}
