// Reads the SigV4 credential scope (header or presigned query form) for the access key, region
// and service. Signatures are not verified: a local server must accept whatever the SDK signed.
export interface CredentialScope {
  accessKeyId: string;
  region: string;
  service: string;
}

const SCOPE = /^([^/\s]+)\/\d{8}\/([^/\s]+)\/([^/\s]+)\/aws4_request$/;

export function credentialScope(authorization: string | undefined, queryCredential: string | undefined): CredentialScope | undefined {
  const fromHeader = authorization && /Credential=([^,\s]+)/.exec(authorization)?.[1];
  const m = SCOPE.exec(fromHeader || queryCredential || '');
  return m ? { accessKeyId: m[1], region: m[2], service: m[3] } : undefined;
}

/** A 12-digit access key id names its own account (a common local-testing convention). */
export function accountFor(accessKeyId: string | undefined, defaultAccount: string): string {
  return accessKeyId && /^\d{12}$/.test(accessKeyId) ? accessKeyId : defaultAccount;
}
