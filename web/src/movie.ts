/**
 * Movies of the view: frames composed on a 2D canvas (the particles, their titles, the colour bar and the
 * timeline position) are fed to a MediaRecorder through `canvas.captureStream(0)`, one `requestFrame()` per
 * composed frame, and come out as one WebM blob (VP9, else VP8, else the browser's WebM default).
 *
 * Frames are composed when the view renders (Viewport.onRender, in the same task as the render: the WebGL
 * drawing buffer is not preserved after it), so a frame is added only when the picture changed; the recorder
 * keeps each frame's time stamp, so the movie plays at the speed the timeline played.
 */

/** The first WebM type this browser's MediaRecorder can write, or null. */
export function webmType(): string | null {
  if (typeof MediaRecorder === 'undefined') return null;
  for (const t of ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'])
    if (MediaRecorder.isTypeSupported(t)) return t;
  return null;
}

type FrameTrack = MediaStreamTrack & { requestFrame?: () => void };

export class MovieRecorder {
  readonly canvas: HTMLCanvasElement;
  readonly ctx: CanvasRenderingContext2D;
  /** Frames composed and handed to the stream. */
  frames = 0;
  private readonly recorder: MediaRecorder;
  private readonly track: FrameTrack;
  private readonly chunks: Blob[] = [];

  /** A recorder of width × height px frames (rounded up to even sizes, which video encoders want). */
  constructor(width: number, height: number) {
    const type = webmType();
    if (!type) throw new Error('this browser cannot record WebM video (no MediaRecorder for video/webm)');
    this.canvas = document.createElement('canvas');
    this.canvas.width = 2 * Math.ceil(width / 2);
    this.canvas.height = 2 * Math.ceil(height / 2);
    this.ctx = this.canvas.getContext('2d')!;
    this.ctx.fillStyle = '#fff';
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    const stream = this.canvas.captureStream(0);
    this.track = stream.getVideoTracks()[0] as FrameTrack;
    this.recorder = new MediaRecorder(stream, { mimeType: type, videoBitsPerSecond: 8_000_000 });
    this.recorder.ondataavailable = (e) => {
      if (e.data.size) this.chunks.push(e.data);
    };
    this.recorder.start(500);
  }

  get mimeType(): string {
    return this.recorder.mimeType;
  }

  /** Compose one frame with `draw` (into this.ctx, canvas px) and add it to the movie. */
  addFrame(draw: (ctx: CanvasRenderingContext2D, width: number, height: number) => void): void {
    const { ctx, canvas } = this;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    draw(ctx, canvas.width, canvas.height);
    this.track.requestFrame?.();
    this.frames++;
  }

  /** Stop and return the movie. */
  stop(): Promise<Blob> {
    return new Promise((ok) => {
      this.recorder.onstop = () => {
        this.track.stop();
        ok(new Blob(this.chunks, { type: this.recorder.mimeType || 'video/webm' }));
      };
      if (this.recorder.state === 'inactive') this.recorder.onstop(new Event('stop'));
      else this.recorder.stop();
    });
  }
}
