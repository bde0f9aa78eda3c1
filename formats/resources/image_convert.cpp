// image_convert.cpp: GIF and WebP as PNG, for writers that take only JPEG and PNG.
//
// GIF is decoded with giflib (the first frame, composed on the logical screen with its
// transparent colour), WebP with libwebp (an animated one's first frame, composed on its
// canvas by libwebpdemux's animation decoder); the pixels are encoded as RGBA PNG by
// stb_image_write. The pixel count is checked against kMaxImagePixels before anything
// is allocated, from the headers, as probe_image does.
#include "dconv/resources.hpp"

#include <gif_lib.h>
#include <stb_image_write.h>
#include <webp/decode.h>
#include <webp/demux.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "dconv/limits.hpp"

namespace dconv {

namespace {

struct Rgba {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;  // width * height * 4
};

bool too_many_pixels(long long width, long long height) {
    return width <= 0 || height <= 0 || static_cast<unsigned long long>(width * height) > kMaxImagePixels;
}

// ------------------------------------------------------------------------------ GIF

struct GifSource {
    std::string_view bytes;
    std::size_t at = 0;
};

int read_gif_bytes(GifFileType* gif, GifByteType* into, int wanted) {
    auto* source = static_cast<GifSource*>(gif->UserData);
    std::size_t n = std::min(static_cast<std::size_t>(std::max(wanted, 0)), source->bytes.size() - source->at);
    std::memcpy(into, source->bytes.data() + source->at, n);
    source->at += n;
    return static_cast<int>(n);
}

struct GifCloser {
    void operator()(GifFileType* gif) const {
        int error = 0;
        DGifCloseFile(gif, &error);
    }
};

std::optional<Rgba> decode_gif(std::string_view bytes, std::string& why) {
    GifSource source{bytes};
    int error = 0;
    std::unique_ptr<GifFileType, GifCloser> gif(DGifOpen(&source, read_gif_bytes, &error));
    if (!gif) {
        why = std::string("a broken GIF file (") + (GifErrorString(error) ? GifErrorString(error) : "unreadable") + ")";
        return std::nullopt;
    }
    if (too_many_pixels(gif->SWidth, gif->SHeight)) {
        why = "a GIF of more than " + std::to_string(kMaxImagePixels) + " pixels, the most dconv reads";
        return std::nullopt;
    }
    Rgba out;
    out.width = gif->SWidth;
    out.height = gif->SHeight;
    out.pixels.assign(static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height) * 4, 0);  // transparent

    int transparent = NO_TRANSPARENT_COLOR;
    GifRecordType record = UNDEFINED_RECORD_TYPE;
    do {
        if (DGifGetRecordType(gif.get(), &record) == GIF_ERROR) break;
        if (record == EXTENSION_RECORD_TYPE) {
            int code = 0;
            GifByteType* extension = nullptr;
            if (DGifGetExtension(gif.get(), &code, &extension) == GIF_ERROR) break;
            if (code == GRAPHICS_EXT_FUNC_CODE && extension && extension[0] >= 4) {
                GraphicsControlBlock control;
                if (DGifExtensionToGCB(extension[0], extension + 1, &control) == GIF_OK)
                    transparent = control.TransparentColor;
            }
            while (extension) {
                if (DGifGetExtensionNext(gif.get(), &extension) == GIF_ERROR) {
                    extension = nullptr;
                    record = TERMINATE_RECORD_TYPE;
                }
            }
        } else if (record == IMAGE_DESC_RECORD_TYPE) {
            if (DGifGetImageDesc(gif.get()) == GIF_ERROR) break;
            const GifImageDesc& desc = gif->Image;
            const ColorMapObject* map = desc.ColorMap ? desc.ColorMap : gif->SColorMap;
            if (!map || too_many_pixels(desc.Width, desc.Height)) break;
            std::vector<GifPixelType> line(static_cast<std::size_t>(desc.Width));
            // Interlaced images come in four passes: rows 0, 8, 16...; 4, 12...; 2, 6...; 1, 3...
            static constexpr int kPassStart[] = {0, 4, 2, 1};
            static constexpr int kPassStep[] = {8, 8, 4, 2};
            std::vector<int> rows;
            if (desc.Interlace) {
                for (int pass = 0; pass < 4; ++pass)
                    for (int y = kPassStart[pass]; y < desc.Height; y += kPassStep[pass]) rows.push_back(y);
            } else {
                for (int y = 0; y < desc.Height; ++y) rows.push_back(y);
            }
            for (int y : rows) {
                if (DGifGetLine(gif.get(), line.data(), desc.Width) == GIF_ERROR)
                    break;  // a truncated file: keep the rows read so far
                long long screen_y = static_cast<long long>(desc.Top) + y;
                if (screen_y < 0 || screen_y >= out.height) continue;
                for (int x = 0; x < desc.Width; ++x) {
                    long long screen_x = static_cast<long long>(desc.Left) + x;
                    if (screen_x < 0 || screen_x >= out.width) continue;
                    int index = line[static_cast<std::size_t>(x)];
                    if (index == transparent || index >= map->ColorCount) continue;
                    const GifColorType& c = map->Colors[index];
                    std::uint8_t* p = &out.pixels[(static_cast<std::size_t>(screen_y) * static_cast<std::size_t>(out.width) +
                                                   static_cast<std::size_t>(screen_x)) * 4];
                    p[0] = c.Red;
                    p[1] = c.Green;
                    p[2] = c.Blue;
                    p[3] = 255;
                }
            }
            return out;  // the first frame only
        }
    } while (record != TERMINATE_RECORD_TYPE);
    why = "a GIF file without a readable image";
    return std::nullopt;
}

// ----------------------------------------------------------------------------- WebP

// An animated WebP's first frame, as GIF's is taken: the canvas (whose size the caller
// has checked against kMaxImagePixels) with the frame composed on it.
std::optional<Rgba> first_webp_frame(std::string_view bytes, std::string& why) {
    WebPData data{reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()};
    WebPAnimDecoderOptions options;
    if (!WebPAnimDecoderOptionsInit(&options)) {
        why = "an animated WebP (libwebp's animation decoder did not start)";
        return std::nullopt;
    }
    options.color_mode = MODE_RGBA;
    options.use_threads = 0;
    std::unique_ptr<WebPAnimDecoder, void (*)(WebPAnimDecoder*)> decoder(WebPAnimDecoderNew(&data, &options),
                                                                           WebPAnimDecoderDelete);
    WebPAnimInfo info;
    if (!decoder || !WebPAnimDecoderGetInfo(decoder.get(), &info) || info.frame_count == 0 ||
        too_many_pixels(info.canvas_width, info.canvas_height)) {
        why = "a broken animated WebP file";
        return std::nullopt;
    }
    std::uint8_t* canvas = nullptr;
    int timestamp = 0;
    if (!WebPAnimDecoderGetNext(decoder.get(), &canvas, &timestamp) || !canvas) {
        why = "a broken animated WebP file (its first frame does not decode)";
        return std::nullopt;
    }
    Rgba out;
    out.width = static_cast<int>(info.canvas_width);
    out.height = static_cast<int>(info.canvas_height);
    out.pixels.assign(canvas, canvas + static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height) * 4);
    return out;  // the first frame only
}

std::optional<Rgba> decode_webp(std::string_view bytes, std::string& why) {
    const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
    WebPBitstreamFeatures features;
    if (WebPGetFeatures(data, bytes.size(), &features) != VP8_STATUS_OK) {
        why = "a broken WebP file";
        return std::nullopt;
    }
    if (too_many_pixels(features.width, features.height)) {
        why = "a WebP of more than " + std::to_string(kMaxImagePixels) + " pixels, the most dconv reads";
        return std::nullopt;
    }
    if (features.has_animation) return first_webp_frame(bytes, why);
    Rgba out;
    out.width = features.width;
    out.height = features.height;
    out.pixels.resize(static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height) * 4);
    if (!WebPDecodeRGBAInto(data, bytes.size(), out.pixels.data(), out.pixels.size(), out.width * 4)) {
        why = "a broken WebP file (does not decode)";
        return std::nullopt;
    }
    return out;
}

// ------------------------------------------------------------------------------ PNG

void append_bytes(void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

std::string encode_png(const Rgba& image) {
    std::string out;
    stbi_write_png_to_func(append_bytes, &out, image.width, image.height, 4, image.pixels.data(), image.width * 4);
    return out;
}

}  // namespace

std::optional<std::string> image_as_png(const Resource& image, std::string* why) {
    std::string reason;
    std::optional<Rgba> pixels;
    if (image.media_type == "image/png") return image.bytes;
    if (image.media_type == "image/gif") pixels = decode_gif(image.bytes, reason);
    else if (image.media_type == "image/webp") pixels = decode_webp(image.bytes, reason);
    else if (image.media_type == "image/jpeg") reason = "a JPEG (use it as it is)";
    else if (image.media_type == "image/svg+xml") reason = "an SVG (not rasterized)";
    else reason = "not an image dconv converts (" + image.media_type + ")";
    if (pixels) {
        std::string png = encode_png(*pixels);
        if (!png.empty()) return png;
        reason = "PNG encoding failed";
    }
    if (why) *why = std::move(reason);
    return std::nullopt;
}

}  // namespace dconv
