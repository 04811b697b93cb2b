import { ApiProperty } from '@nestjs/swagger';
import { IsEmpty } from 'class-validator';
import type { FileMeta } from '../files.service.js';

/** The multipart body of an upload. */
export class UploadFileDto {
  // The file arrives as a file part (multer puts it in req.file), never as a text field. Declaring
  // it lets the validation pipe refuse every other field by name, and documents the body.
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description:
      'PDF, JPEG, PNG hoặc XML (xác định theo nội dung) / PDF, JPEG, PNG or XML, judged by content (XML must begin with its <?xml declaration); at most FILE_MAX_BYTES (20 MB by default)',
  })
  @IsEmpty({ message: 'file must be sent as a file part, not a text field' })
  file?: unknown;
}

export class FileView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', description: 'SHA-256 of the content, hex' }) sha256: string;
  @ApiProperty({ example: 482113, description: 'Bytes' }) size: number;
  @ApiProperty({ enum: ['application/pdf', 'image/jpeg', 'image/png', 'application/xml'], description: 'Detected from the content' }) contentType: string;
  @ApiProperty({ example: 'Giấy khai sinh.pdf', description: 'Sanitised; the extension agrees with the content' }) fileName: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export function toFileView(meta: FileMeta): FileView {
  return { id: meta.id, sha256: meta.sha256, size: meta.size, contentType: meta.contentType, fileName: meta.fileName, createdAt: meta.createdAt.toISOString() };
}
