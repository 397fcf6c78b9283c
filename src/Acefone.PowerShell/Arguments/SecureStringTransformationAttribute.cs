using System.Management.Automation;
using System.Security;

namespace Acefone.PowerShell
{
    /// <summary>Lets a plain string bind to a SecureString parameter (a token pasted at the prompt or read from a vault as text).</summary>
    public sealed class SecureStringTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is string text)
            {
                var secure = new SecureString();
                foreach (char c in text) secure.AppendChar(c);
                secure.MakeReadOnly();
                return secure;
            }
            return value;
        }
    }
}
