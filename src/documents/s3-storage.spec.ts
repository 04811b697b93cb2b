import { describe, expect, it } from '@jest/globals';
import { S3Client } from '@aws-sdk/client-s3';
import { describeBucketProblem, S3Storage } from './s3-storage.js';

const s3Error = (name: string, status: number) => Object.assign(new Error('UnknownError'), { name, $metadata: { httpStatusCode: status } });

describe('S3Storage without a server', () => {
  it('files keys under the prefix, and refuses keys no provider accepts', () => {
    const client = new S3Client({ region: 'us-east-1' });
    expect(new S3Storage(client, { bucket: 'b', prefix: 'motcua/files/' }).objectKey('ab/abcdef')).toBe('motcua/files/ab/abcdef');
    expect(new S3Storage(client, { bucket: 'b' }).objectKey('ab/abcdef')).toBe('ab/abcdef');
    for (const key of ['../escape', '/abs', 'ab/.hidden', 'ab//c'])
      expect(() => new S3Storage(client, { bucket: 'b' }).objectKey(key)).toThrow('invalid storage key');
    client.destroy();
  });

  it.each([
    [s3Error('NotFound', 404), 'S3 storage unavailable: bucket "ho-so" at http://minio:9000: the bucket does not exist (create it, or check S3_BUCKET)'],
    [
      s3Error('Forbidden', 403),
      'S3 storage unavailable: bucket "ho-so" at http://minio:9000: access denied (check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, and the bucket policy)',
    ],
    [
      s3Error('PermanentRedirect', 301),
      'S3 storage unavailable: bucket "ho-so" at http://minio:9000: the server answered 301 (check S3_REGION and S3_FORCE_PATH_STYLE)',
    ],
    [s3Error('InternalError', 503), 'S3 storage unavailable: bucket "ho-so" at http://minio:9000: the server answered 503 InternalError'],
    [
      Object.assign(new Error('connect ECONNREFUSED\n127.0.0.1:9000'), { code: 'ECONNREFUSED' }),
      'S3 storage unavailable: bucket "ho-so" at http://minio:9000: no answer (connect ECONNREFUSED 127.0.0.1:9000; check S3_ENDPOINT and the network)',
    ],
    [
      Object.assign(new AggregateError([new Error('connect ECONNREFUSED ::1:9000')], ''), { code: 'ECONNREFUSED' }),
      'S3 storage unavailable: bucket "ho-so" at http://minio:9000: no answer (connect ECONNREFUSED ::1:9000; check S3_ENDPOINT and the network)',
    ],
  ])('explains %p in one line naming the bucket and the server', (error, line) => {
    expect(describeBucketProblem({ bucket: 'ho-so', endpoint: 'http://minio:9000' }, error)).toBe(line);
  });

  it('names AWS and the region when no endpoint is configured', () => {
    expect(describeBucketProblem({ bucket: 'ho-so', region: 'ap-southeast-1' }, s3Error('NotFound', 404))).toMatch(
      /^S3 storage unavailable: bucket "ho-so" at AWS S3 \(region ap-southeast-1\): /,
    );
  });
});
